import type { Database, Statement } from 'better-sqlite3';
import { eventIdParts } from '../event-id.js';
import type { NewLogRow } from './event-log-store.js';

const TABLE = 'tracklight_event_log';

/**
 * The event log's per-event statements on SQLite, prepared once and run straight on the one
 * connection TypeORM shares (`sqliteConnection`). Every stored event costs an insert and an
 * update; through TypeORM's `query()` each was a statement lookup, a promise and an event
 * broadcast, which with the fsyncs made the log cost twice the fan-out it feeds (S4 in
 * docs/benchmarks.md). Here each is one C call. They join whatever transaction is open on the
 * connection: callers hold `EventLog.exclusive` so that is the log's own.
 */
export class SqliteLogStatements {
  private readonly insertRow: Statement;
  private readonly markRow: Statement;
  private readonly unrelayedRows: Statement;

  constructor(private readonly db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO ${TABLE} (event_key, topic, type, data, created_ms) VALUES (?, ?, ?, ?, ?)`,
    );
    this.markRow = db.prepare(`UPDATE ${TABLE} SET bus_ms = ?, bus_seq = ? WHERE seq = ?`);
    this.unrelayedRows = db.prepare(
      `SELECT seq, event_key, topic, type, data, bus_ms, bus_seq FROM ${TABLE} WHERE bus_ms IS NULL ORDER BY seq LIMIT ?`,
    );
  }

  /** The relay's queue, read once per pass. */
  unrelayed<T>(limit: number): T[] {
    return this.unrelayedRows.all(limit) as T[];
  }

  /** Inside the caller's open transaction; seqs in `rows` order (one writer, so they ascend). */
  insert(rows: readonly NewLogRow[]): number[] {
    return rows.map((r) => Number(this.insertRow.run(r.key, r.topic, r.type, r.data, r.createdMs).lastInsertRowid));
  }

  /**
   * Records the bus ids in one transaction committed without an fsync (synchronous=NORMAL for
   * this commit only). A process crash cannot lose it (the commit is in the OS's hands); a power
   * loss can lose the newest such records until the next stored write's fsync, which also makes
   * them durable (WAL frames are flushed in order). What a lost record costs: those rows are
   * relayed again with new ids. Each stored write still fsyncs its change and events.
   */
  markRelayed(seqs: readonly number[], ids: readonly string[]): void {
    const previous = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
        for (let i = 0; i < seqs.length; i++) {
          const [ms, s] = eventIdParts(ids[i]);
          this.markRow.run(ms, s, seqs[i]);
        }
      })();
    } finally {
      this.db.pragma(`synchronous = ${previous}`);
    }
  }
}
