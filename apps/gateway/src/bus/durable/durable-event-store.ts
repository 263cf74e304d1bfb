import type { Database, Statement } from 'better-sqlite3';
import type { DataSource, EntityManager } from 'typeorm';
import type { BusEvent } from '../event-bus.js';
import { dataJson } from '../event-json.js';
import { parseEventId } from '../event-id.js';
import type { Segment } from './coverage.js';

const EVENTS = 'tracklight_durable_events';
const SEGMENTS = 'tracklight_durable_segments';

interface EventRow {
  id: string;
  topic: string;
  type: string;
  data: string;
  ts: string;
}

interface SegmentRow {
  start_ms: string | number;
  start_seq: string | number;
  end_ms: string | number;
  end_seq: string | number;
  closed: string | number;
}

export interface StoredSegment extends Segment {
  closed: boolean;
}

/** How long a batch waits for another module's open SQLite transaction before it fails (and is retried). */
const SQLITE_BUSY_WAIT_MS = 5_000;

/** The SQLite write path: statements prepared once, one batch = one synchronous transaction. */
interface SqliteWriter {
  db: Database;
  write: (segment: string, range: Segment, events: readonly BusEvent[], closed: boolean) => void;
}

function split(id: string): [number, number] {
  const parsed = parseEventId(id);
  if (!parsed) throw new Error(`malformed event id: ${id}`);
  return parsed;
}

/**
 * Important events and the coverage of the recorders that wrote them, in the application's
 * database (SQLite or PostgreSQL, plain SQL valid on both). Ids are stored split into their
 * numeric parts, so the database orders them as the bus does.
 */
export class DurableEventStore {
  private readonly pg: boolean;
  private sqlite: SqliteWriter | undefined;

  constructor(private readonly db: DataSource) {
    this.pg = db.options.type === 'postgres';
  }

  /** Creates the tables when missing. Owned by the bus, so kept out of the feature migrations. */
  async ensureSchema(): Promise<void> {
    const statements = [
      `CREATE TABLE IF NOT EXISTS ${EVENTS} (id VARCHAR(40) PRIMARY KEY, ms BIGINT NOT NULL, seq INTEGER NOT NULL,
        topic VARCHAR(200) NOT NULL, type VARCHAR(40) NOT NULL, data TEXT NOT NULL, ts VARCHAR(40) NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS ${EVENTS}_topic ON ${EVENTS} (topic, ms, seq)`,
      `CREATE INDEX IF NOT EXISTS ${EVENTS}_ms ON ${EVENTS} (ms)`,
      `CREATE TABLE IF NOT EXISTS ${SEGMENTS} (segment VARCHAR(100) PRIMARY KEY, start_ms BIGINT NOT NULL,
        start_seq INTEGER NOT NULL, end_ms BIGINT NOT NULL, end_seq INTEGER NOT NULL, closed INTEGER NOT NULL,
        updated_ms BIGINT NOT NULL)`,
    ];
    for (const sql of statements) {
      try {
        await this.db.query(sql);
      } catch (err) {
        // Two instances creating the same PostgreSQL table at once: one of them loses the race.
        await this.db.query(sql).catch(() => {
          throw err;
        });
      }
    }
  }

  /** Stores `events` (ignoring ones already stored by another instance) and the segment's new end. */
  async record(segment: string, range: Segment, events: readonly BusEvent[], closed = false): Promise<void> {
    const sqlite = this.sqliteWriter();
    if (sqlite) {
      await this.sqliteIdle(sqlite.db);
      sqlite.write(segment, range, events, closed);
      return;
    }
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < events.length; i += 100) await this.insert(tx, events.slice(i, i + 100));
      const [sMs, sSeq] = split(range.start);
      const [eMs, eSeq] = split(range.end);
      await tx.query(
        `INSERT INTO ${SEGMENTS} (segment, start_ms, start_seq, end_ms, end_seq, closed, updated_ms)
         VALUES (${this.params(1, 7)})
         ON CONFLICT (segment) DO UPDATE SET end_ms = excluded.end_ms, end_seq = excluded.end_seq,
           closed = excluded.closed, updated_ms = excluded.updated_ms`,
        [segment, sMs, sSeq, eMs, eSeq, closed ? 1 : 0, Date.now()],
      );
    });
  }

  /** Segments that may touch the range starting at `sinceMs`. */
  async segments(sinceMs: number): Promise<StoredSegment[]> {
    const rows = await this.db.query<SegmentRow[]>(
      `SELECT start_ms, start_seq, end_ms, end_seq, closed FROM ${SEGMENTS} WHERE end_ms >= ${this.params(1, 1)}`,
      [sinceMs],
    );
    return rows.map((r) => ({
      start: `${Number(r.start_ms)}-${Number(r.start_seq)}`,
      end: `${Number(r.end_ms)}-${Number(r.end_seq)}`,
      closed: Number(r.closed) === 1,
    }));
  }

  /** The newest segment end of all, with whether its recorder shut down cleanly. */
  async latest(): Promise<StoredSegment | undefined> {
    const rows = await this.db.query<SegmentRow[]>(
      `SELECT start_ms, start_seq, end_ms, end_seq, closed FROM ${SEGMENTS} ORDER BY end_ms DESC, end_seq DESC LIMIT 1`,
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      start: `${Number(r.start_ms)}-${Number(r.start_seq)}`,
      end: `${Number(r.end_ms)}-${Number(r.end_seq)}`,
      closed: Number(r.closed) === 1,
    };
  }

  /** Stored events of `topics` with from < id <= to, in id order; at most `limit` + 1 rows. */
  async range(topics: readonly string[], from: string, to: string, limit: number): Promise<BusEvent[]> {
    const [fMs, fSeq] = split(from);
    const [tMs, tSeq] = split(to);
    const n = topics.length;
    const rows = await this.db.query<EventRow[]>(
      `SELECT id, topic, type, data, ts FROM ${EVENTS}
       WHERE topic IN (${this.params(1, n)})
         AND (ms > ${this.p(n + 1)} OR (ms = ${this.p(n + 2)} AND seq > ${this.p(n + 3)}))
         AND (ms < ${this.p(n + 4)} OR (ms = ${this.p(n + 5)} AND seq <= ${this.p(n + 6)}))
       ORDER BY ms, seq LIMIT ${this.p(n + 7)}`,
      [...topics, fMs, fMs, fSeq, tMs, tMs, tSeq, limit + 1],
    );
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      type: r.type as BusEvent['type'],
      data: JSON.parse(r.data) as BusEvent['data'],
      timestamp: r.ts,
    }));
  }

  /** Forgets what is older than `beforeMs`, except the segment still being written. */
  async prune(beforeMs: number, keepSegment: string): Promise<void> {
    await this.db.query(`DELETE FROM ${EVENTS} WHERE ms < ${this.params(1, 1)}`, [beforeMs]);
    await this.db.query(`DELETE FROM ${SEGMENTS} WHERE end_ms < ${this.p(1)} AND segment <> ${this.p(2)}`, [
      beforeMs,
      keepSegment,
    ]);
  }

  private async insert(tx: EntityManager, events: readonly BusEvent[]): Promise<void> {
    if (!events.length) return;
    const values: unknown[] = [];
    const tuples = events.map((e, i) => {
      const [ms, seq] = split(e.id);
      values.push(e.id, ms, seq, e.topic, e.type, dataJson(e), e.timestamp);
      return `(${this.params(i * 7 + 1, 7)})`;
    });
    await tx.query(
      `INSERT INTO ${EVENTS} (id, ms, seq, topic, type, data, ts) VALUES ${tuples.join(', ')}
       ON CONFLICT (id) DO NOTHING`,
      values,
    );
  }

  /**
   * On SQLite (better-sqlite3, synchronous) a batch goes straight to the driver: two statements
   * prepared once and run row by row inside one transaction. Through TypeORM the same batch cost
   * a multi-row statement re-prepared per distinct row count, a parameter array and an async hop
   * per chunk, about a third of the gateway's busy time under sparse fan-out. The guarantees are
   * the same: the events and the segment's new end commit together or not at all.
   */
  private sqliteWriter(): SqliteWriter | undefined {
    if (this.pg || this.db.options.type !== 'better-sqlite3') return undefined;
    if (this.sqlite) return this.sqlite;
    const db = (this.db.driver as unknown as { databaseConnection: Database }).databaseConnection;
    const insertEvent: Statement = db.prepare(
      `INSERT INTO ${EVENTS} (id, ms, seq, topic, type, data, ts) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    );
    const upsertSegment: Statement = db.prepare(
      `INSERT INTO ${SEGMENTS} (segment, start_ms, start_seq, end_ms, end_seq, closed, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (segment) DO UPDATE SET end_ms = excluded.end_ms, end_seq = excluded.end_seq,
         closed = excluded.closed, updated_ms = excluded.updated_ms`,
    );
    const write = db.transaction((segment: string, range: Segment, events: readonly BusEvent[], closed: boolean) => {
      for (const e of events) {
        const [ms, seq] = split(e.id);
        insertEvent.run(e.id, ms, seq, e.topic, e.type, dataJson(e), e.timestamp);
      }
      const [sMs, sSeq] = split(range.start);
      const [eMs, eSeq] = split(range.end);
      upsertSegment.run(segment, sMs, sSeq, eMs, eSeq, closed ? 1 : 0, Date.now());
    });
    this.sqlite = { db, write: (segment, range, events, closed) => write(segment, range, events, closed) };
    return this.sqlite;
  }

  /**
   * TypeORM shares one SQLite connection between all modules, and its transactions span awaits:
   * a batch written while another module's transaction is open would join it (and roll back with
   * it). The batch therefore waits until no transaction is open; it then runs synchronously, so
   * nothing can start in between.
   */
  private async sqliteIdle(db: Database): Promise<void> {
    const deadline = Date.now() + SQLITE_BUSY_WAIT_MS;
    while (db.inTransaction) {
      if (Date.now() > deadline) throw new Error('another SQLite transaction stayed open');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  private p(i: number): string {
    return this.pg ? `$${i}` : '?';
  }

  private params(first: number, count: number): string {
    return Array.from({ length: count }, (_, i) => this.p(first + i)).join(', ');
  }
}
