import type { Database, Statement } from 'better-sqlite3';
import { eventIdParts } from '../event-id.js';
import type { NewLogRow } from './event-log-store.js';
import { SqliteEventBatches } from './sqlite-event-batches.js';

const TABLE = 'tracklight_event_log';
/** `PRAGMA synchronous` reads FULL as 2. */
const FULL = 2;

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
  /** Direct publishes, a row per group commit. */
  readonly batches: SqliteEventBatches;
  /** `db.pragma()` compiles its statement on every call; these run per commit. */
  private readonly sync: { read: Statement; normal: Statement; full: Statement };

  constructor(private readonly db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO ${TABLE} (event_key, topic, type, data, created_ms) VALUES (?, ?, ?, ?, ?)`,
    );
    this.markRow = db.prepare(`UPDATE ${TABLE} SET bus_ms = ?, bus_seq = ? WHERE seq = ?`);
    this.batches = new SqliteEventBatches(db);
    this.sync = {
      read: db.prepare('PRAGMA synchronous').pluck(),
      normal: db.prepare('PRAGMA synchronous = NORMAL'),
      full: db.prepare('PRAGMA synchronous = FULL'),
    };
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
   * Events that get their bus ids as they are written (EventLog.publishDirect): one batch row, in
   * one transaction of its own, committed without an fsync (see `withoutFsync`). No request was
   * answered for them (they are direct publishes, not writes), so a power loss that takes the
   * newest of them is a publisher that died before publishing; a process crash cannot lose them.
   */
  insertPublished(rows: readonly NewLogRow[], ids: readonly string[]): void {
    this.withoutFsync(() => this.batches.insert(rows, ids));
  }

  /**
   * Records the bus ids in one transaction committed without an fsync. What a power loss that
   * takes the newest such records costs: those rows are relayed again with new ids. Each stored
   * write still fsyncs its change and events.
   */
  markRelayed(seqs: readonly number[], ids: readonly string[]): void {
    this.withoutFsync(() => {
      for (let i = 0; i < seqs.length; i++) {
        const [ms, s] = eventIdParts(ids[i]);
        this.markRow.run(ms, s, seqs[i]);
      }
    });
  }

  /**
   * Runs `work` as one transaction committed with synchronous=NORMAL (this commit only; the
   * connection stays FULL for the stored writes). In WAL mode the commit is then in the OS's
   * hands, so a killed process loses nothing; a power loss can lose the newest such commits until
   * the next fsync of any commit persists them too (WAL frames are flushed in order). The fsync
   * was most of the log's cost on S4 (docs/benchmarks.md).
   */
  private withoutFsync(work: () => void): void {
    const previous = this.sync.read.get() as number;
    this.sync.normal.run();
    try {
      this.db.transaction(work)();
    } finally {
      if (previous === FULL) this.sync.full.run();
      else this.db.pragma(`synchronous = ${previous}`);
    }
  }
}
