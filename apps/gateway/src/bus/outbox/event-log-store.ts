import type { EventType } from '@tracklight/protocol';
import type { DataSource } from 'typeorm';
import { sqliteConnection } from '../../database/sqlite-connection.js';
import { requireBusEvent, type BusEvent } from '../bus-event.js';
import { compareEventIds, eventIdParts } from '../event-id.js';
import { idFrom, idUpTo, type IdColumns, type RangeStart } from './id-bounds.js';
import { SqliteLogStatements } from './sqlite-log-statements.js';

/** A row of the event log as the relay and the readers see it; `data` is the payload's JSON text. */
export interface LogRow {
  seq: number;
  key: string;
  topic: string;
  type: EventType;
  data: string;
}

/** An event about to be appended; `key` is its stable identity (a UUID). */
export interface NewLogRow {
  key: string;
  topic: string;
  type: EventType;
  data: string;
  createdMs: number;
}

interface RawRow {
  seq: number | string;
  event_key: string;
  topic: string;
  type: string;
  data: string;
  bus_ms: number | string | null;
  bus_seq: number | string | null;
}

const TABLE = 'tracklight_event_log';
/** Where a row keeps the id the bus gave its event. */
const BUS_ID: IdColumns = { ms: 'bus_ms', seq: 'bus_seq' };
/** Rows per INSERT on PostgreSQL: 5 parameters each, well under its 65,535. */
const INSERT_CHUNK = 1000;

/** Anything that runs a query: the DataSource, a transaction's manager or a dedicated runner. */
interface Runner {
  query<T>(sql: string, parameters?: unknown[]): Promise<T>;
}

/**
 * Every SQL statement on the event log, for SQLite and PostgreSQL. Bus ids are kept as two
 * integers (ms, seq) so both backends order and compare them natively, row values included.
 */
export class EventLogStore {
  readonly postgres: boolean;
  private statements: SqliteLogStatements | undefined;

  constructor(private readonly db: DataSource) {
    this.postgres = db.options.type === 'postgres';
  }

  /** Prepared on first use: the connection exists only once the DataSource is initialised. */
  private get sqlite(): SqliteLogStatements | undefined {
    if (this.postgres) return undefined;
    const connection = sqliteConnection(this.db);
    if (!connection) return undefined;
    this.statements ??= new SqliteLogStatements(connection);
    return this.statements;
  }

  /** `?` placeholders in, the dialect's out. */
  private sql(text: string): string {
    if (!this.postgres) return text;
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  }

  /** Appends `rows` inside the caller's transaction (`m`); their seqs, in `rows` order. */
  async insert(m: Runner, rows: readonly NewLogRow[]): Promise<number[]> {
    if (!rows.length) return [];
    const sqlite = this.sqlite;
    if (sqlite) return sqlite.insert(rows);
    const seqs: number[] = [];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK)
      seqs.push(...(await this.insertChunk(m, rows.slice(i, i + INSERT_CHUNK))));
    return seqs;
  }

  /** One statement for the chunk; RETURNING order is not promised, so seqs are matched by key. */
  private async insertChunk(m: Runner, rows: readonly NewLogRow[]): Promise<number[]> {
    const params: unknown[] = [];
    const values = rows.map((r) => {
      params.push(r.key, r.topic, r.type, r.data, r.createdMs);
      return '(?, ?, ?, ?, ?)';
    });
    const out = await m.query<{ seq: number | string; event_key: string }[]>(
      this.sql(
        `INSERT INTO ${TABLE} (event_key, topic, type, data, created_ms) VALUES ${values.join(', ')} RETURNING seq, event_key`,
      ),
      params,
    );
    const byKey = new Map(out.map((r) => [r.event_key, Number(r.seq)]));
    return rows.map((r) => byKey.get(r.key) as number);
  }

  /** Committed rows not yet on the bus, oldest first (commit order: see EventLog). */
  async unrelayed(limit: number, runner: Runner = this.db): Promise<LogRow[]> {
    const sqlite = this.sqlite;
    if (sqlite) return sqlite.unrelayed<RawRow>(limit).map(toLogRow);
    const rows = await runner.query<RawRow[]>(
      this.sql(
        `SELECT seq, event_key, topic, type, data, bus_ms, bus_seq FROM ${TABLE} WHERE bus_ms IS NULL ORDER BY seq LIMIT ?`,
      ),
      [limit],
    );
    return rows.map(toLogRow);
  }

  async countUnrelayed(upToSeq?: number): Promise<number> {
    const bound = upToSeq === undefined ? '' : ' AND seq <= ?';
    const rows = await this.db.query<{ n: number | string }[]>(
      this.sql(`SELECT COUNT(*) AS n FROM ${TABLE} WHERE bus_ms IS NULL${bound}`),
      upToSeq === undefined ? [] : [upToSeq],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /** When the log began (its migration ran): nothing before is in it. */
  async startedMs(): Promise<number> {
    const rows = await this.db.query<{ value: string }[]>(`SELECT value FROM ${TABLE}_meta WHERE name = 'started_ms'`);
    return rows.length ? Number(rows[0].value) : Number.POSITIVE_INFINITY;
  }

  async maxSeq(): Promise<number> {
    const rows = await this.db.query<{ s: number | string | null }[]>(`SELECT MAX(seq) AS s FROM ${TABLE}`);
    return Number(rows[0]?.s ?? 0);
  }

  /** The newest bus id any row or batch got, so a restarted in-process bus never hands out a smaller one. */
  async newestBusId(): Promise<string | undefined> {
    const rows = await this.db.query<RawRow[]>(
      `SELECT bus_ms, bus_seq FROM ${TABLE} WHERE bus_ms IS NOT NULL ORDER BY bus_ms DESC, bus_seq DESC LIMIT 1`,
    );
    const logged = rows.length ? `${rows[0].bus_ms}-${rows[0].bus_seq}` : undefined;
    const batched = this.sqlite?.batches.newest();
    if (logged === undefined || batched === undefined) return logged ?? batched;
    return compareEventIds(logged, batched) >= 0 ? logged : batched;
  }

  /** SQLite only (EventLog.publishDirect): rows written with the bus ids they already have. */
  insertPublished(rows: readonly NewLogRow[], ids: readonly string[]): void {
    const sqlite = this.sqlite;
    if (!sqlite) throw new Error('insertPublished is for SQLite');
    sqlite.insertPublished(rows, ids);
  }

  async markRelayed(runner: Runner, rows: readonly LogRow[], ids: readonly string[]): Promise<void> {
    if (!rows.length) return;
    const sqlite = this.sqlite;
    if (sqlite)
      return sqlite.markRelayed(
        rows.map((r) => r.seq),
        ids,
      );
    const ms = ids.map((id) => eventIdParts(id)[0]);
    const seq = ids.map((id) => eventIdParts(id)[1]);
    await runner.query(
      `UPDATE ${TABLE} AS t SET bus_ms = v.ms, bus_seq = v.s FROM ` +
        `(SELECT unnest($1::bigint[]) AS seq, unnest($2::bigint[]) AS ms, unnest($3::bigint[]) AS s) AS v ` +
        `WHERE t.seq = v.seq`,
      [rows.map((r) => r.seq), ms, seq],
    );
  }

  /**
   * Relayed events of `topics` with a bus id in (after, upTo], in id order, at most `limit`.
   * `after` undefined with `fromMs` starts at that time instead.
   */
  async range(
    topics: readonly string[],
    from: RangeStart,
    upTo: string | undefined,
    limit: number,
  ): Promise<BusEvent[]> {
    const rows = await this.rangeOfRows(topics, from, upTo, limit);
    const batched = this.sqlite?.batches.range(topics, from, upTo, limit);
    return batched?.length ? mergeById(rows, batched, limit) : rows;
  }

  /** range() over tracklight_event_log alone (module writes everywhere, direct publishes off SQLite). */
  private async rangeOfRows(
    topics: readonly string[],
    from: RangeStart,
    upTo: string | undefined,
    limit: number,
  ): Promise<BusEvent[]> {
    const params: unknown[] = [...topics];
    let where = `topic IN (${topics.map(() => '?').join(', ')}) AND bus_ms IS NOT NULL`;
    const start = idFrom(BUS_ID, from);
    where += ` AND ${start.sql}`;
    params.push(...start.params);
    if (upTo !== undefined) {
      const end = idUpTo(BUS_ID, upTo);
      where += ` AND ${end.sql}`;
      params.push(...end.params);
    }
    params.push(limit);
    const rows = await this.db.query<RawRow[]>(
      this.sql(
        `SELECT seq, event_key, topic, type, data, bus_ms, bus_seq FROM ${TABLE} WHERE ${where} ` +
          'ORDER BY bus_ms, bus_seq LIMIT ?',
      ),
      params,
    );
    return rows.map(toEvent);
  }

  /** The bus events of rows `seqs` that were relayed (by any instance), by seq. */
  async relayedBySeq(seqs: readonly number[]): Promise<Map<number, BusEvent>> {
    const rows = await this.db.query<RawRow[]>(
      this.sql(
        `SELECT seq, event_key, topic, type, data, bus_ms, bus_seq FROM ${TABLE} ` +
          `WHERE bus_ms IS NOT NULL AND seq IN (${seqs.map(() => '?').join(', ')})`,
      ),
      [...seqs],
    );
    return new Map(rows.map((r) => [Number(r.seq), toEvent(r)]));
  }

  /** Relayed rows older than the window go; unrelayed ones stay whatever their age. */
  async prune(beforeMs: number): Promise<void> {
    await this.db.query(this.sql(`DELETE FROM ${TABLE} WHERE bus_ms IS NOT NULL AND bus_ms < ?`), [beforeMs]);
    this.sqlite?.batches.prune(beforeMs);
  }
}

/** The first `limit` of two id-ordered lists, in id order. */
function mergeById(a: readonly BusEvent[], b: readonly BusEvent[], limit: number): BusEvent[] {
  const out: BusEvent[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && compareEventIds(a[i].id, b[j].id) < 0)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

function toLogRow(r: RawRow): LogRow {
  return { seq: Number(r.seq), key: r.event_key, topic: r.topic, type: r.type as EventType, data: r.data };
}

export function logRowEvent(row: LogRow, id: string): BusEvent {
  return requireBusEvent({
    id,
    topic: row.topic,
    type: row.type,
    data: JSON.parse(row.data),
    timestamp: new Date(eventIdParts(id)[0]).toISOString(),
  });
}

function toEvent(r: RawRow): BusEvent {
  return logRowEvent(toLogRow(r), `${r.bus_ms}-${r.bus_seq}`);
}
