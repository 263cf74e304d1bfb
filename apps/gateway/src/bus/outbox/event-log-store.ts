import type { EventType } from '@tracklight/protocol';
import type { DataSource } from 'typeorm';
import type { BusEvent } from '../event-bus.js';
import { eventIdParts } from '../event-id.js';

/** A row of the event log as the relay and the readers see it; `data` is the payload's JSON text. */
export interface LogRow {
  seq: number;
  key: string;
  topic: string;
  type: EventType;
  data: string;
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

  constructor(private readonly db: DataSource) {
    this.postgres = db.options.type === 'postgres';
  }

  /** `?` placeholders in, the dialect's out. */
  private sql(text: string): string {
    if (!this.postgres) return text;
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  }

  async insert(m: Runner, key: string, topic: string, type: string, data: string, nowMs: number): Promise<number> {
    const rows = await m.query<{ seq: number | string }[]>(
      this.sql(`INSERT INTO ${TABLE} (event_key, topic, type, data, created_ms) VALUES (?, ?, ?, ?, ?) RETURNING seq`),
      [key, topic, type, data, nowMs],
    );
    return Number(rows[0].seq);
  }

  /** Committed rows not yet on the bus, oldest first (commit order: see EventLog). */
  async unrelayed(limit: number, runner: Runner = this.db): Promise<LogRow[]> {
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

  /** The newest bus id any row got, so a restarted in-process bus never hands out a smaller one. */
  async newestBusId(): Promise<string | undefined> {
    const rows = await this.db.query<RawRow[]>(
      `SELECT bus_ms, bus_seq FROM ${TABLE} WHERE bus_ms IS NOT NULL ORDER BY bus_ms DESC, bus_seq DESC LIMIT 1`,
    );
    return rows.length ? `${rows[0].bus_ms}-${rows[0].bus_seq}` : undefined;
  }

  async markRelayed(runner: Runner, rows: readonly LogRow[], ids: readonly string[]): Promise<void> {
    if (!rows.length) return;
    if (this.postgres) {
      const ms = ids.map((id) => eventIdParts(id)[0]);
      const seq = ids.map((id) => eventIdParts(id)[1]);
      await runner.query(
        `UPDATE ${TABLE} AS t SET bus_ms = v.ms, bus_seq = v.s FROM ` +
          `(SELECT unnest($1::bigint[]) AS seq, unnest($2::bigint[]) AS ms, unnest($3::bigint[]) AS s) AS v ` +
          `WHERE t.seq = v.seq`,
        [rows.map((r) => r.seq), ms, seq],
      );
      return;
    }
    // One statement per row is cheap on SQLite (no round trip); the caller holds the connection.
    for (let i = 0; i < rows.length; i++) {
      const [ms, s] = eventIdParts(ids[i]);
      await runner.query(`UPDATE ${TABLE} SET bus_ms = ?, bus_seq = ? WHERE seq = ?`, [ms, s, rows[i].seq]);
    }
  }

  /**
   * Relayed events of `topics` with a bus id in (after, upTo], in id order, at most `limit`.
   * `after` undefined with `fromMs` starts at that time instead.
   */
  async range(
    topics: readonly string[],
    from: { after: string } | { fromMs: number },
    upTo: string | undefined,
    limit: number,
  ): Promise<BusEvent[]> {
    const params: unknown[] = [...topics];
    let where = `topic IN (${topics.map(() => '?').join(', ')}) AND bus_ms IS NOT NULL`;
    if ('after' in from) {
      const [ms, s] = eventIdParts(from.after);
      where += ' AND (bus_ms > ? OR (bus_ms = ? AND bus_seq > ?))';
      params.push(ms, ms, s);
    } else {
      where += ' AND bus_ms >= ?';
      params.push(from.fromMs);
    }
    if (upTo !== undefined) {
      const [ms, s] = eventIdParts(upTo);
      where += ' AND (bus_ms < ? OR (bus_ms = ? AND bus_seq <= ?))';
      params.push(ms, ms, s);
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
  }
}

function toLogRow(r: RawRow): LogRow {
  return { seq: Number(r.seq), key: r.event_key, topic: r.topic, type: r.type as EventType, data: r.data };
}

export function logRowEvent(row: LogRow, id: string): BusEvent {
  return {
    id,
    topic: row.topic,
    type: row.type,
    data: JSON.parse(row.data) as BusEvent['data'],
    timestamp: new Date(eventIdParts(id)[0]).toISOString(),
  };
}

function toEvent(r: RawRow): BusEvent {
  return logRowEvent(toLogRow(r), `${r.bus_ms}-${r.bus_seq}`);
}
