import type { Database, Statement } from 'better-sqlite3';
import type { Segment } from './coverage.js';
import type { DurableRow } from './durable-row.js';
import { EVENTS, SEGMENTS, TOPICS } from './durable-schema.js';
import { eventIdParts } from '../event-id.js';
import { splitEventId } from './split-event-id.js';
import type { TopicIds } from './topic-ids.js';

/**
 * Rows per SQLite transaction. A 200 ms flush under sparse fan-out is ~2,200 rows; written at
 * once it held the event loop ~20 ms. In chunks of this size each holds it about a third of
 * that, at the price of a commit (WAL pages and fsync) per chunk, which bench/durable-store.mjs
 * finds about even in CPU per row with one transaction per flush (docs/storage.md).
 */
export const SQLITE_CHUNK_ROWS = 500;

/**
 * The store's commits (chunks, prune statements) run with `synchronous = NORMAL`, not the
 * application's FULL (database-options.ts):
 * no fsync of the WAL in the commit. better-sqlite3 is synchronous, so that fsync ran on the event
 * loop, and when the disk was busy (the checkpoint worker flushing the database file) one took
 * ~100 ms (a 97 ms `run` in a profile of docs/benchmarks.md S4). What NORMAL risks is a machine crash losing the last
 * commits of the durable history, each with the coverage it moved, so a resume across them answers
 * `recovered: false` instead of skipping events; the application's next FULL commit, or a
 * checkpoint, makes them durable. The connection's own setting is restored after every commit.
 */
const CHUNK_SYNCHRONOUS = 'NORMAL';

/** Rows deleted per statement when pruning, so a minute's worth of old rows does not hold the loop for seconds. */
const PRUNE_CHUNK_ROWS = 2_000;

/** How long a write waits for another module's open SQLite transaction before it fails (and is retried). */
const SQLITE_BUSY_WAIT_MS = 5_000;

/**
 * The pause after a chunk that held the event loop `heldMs`: as long again. A flush's chunks back
 * to back, with one turn of the loop between them, left the loop ~80 % busy for the whole flush
 * (~15 ms under the load of docs/benchmarks.md S4), and everything published meanwhile waited for most of it; paced, an
 * event waits for at most the one chunk running when it came.
 */
const breather = (heldMs: number): Promise<void> =>
  // setTimeout counts from the loop's cached clock, read before the chunk ran: asked for the held
  // time alone it fired right after the chunk (event-loop utilization 0.8 in the spec).
  new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(2 * heldMs))));

/** One chunk: its events and the segment's new end, in one transaction. */
type WriteChunk = (
  segment: string,
  range: Segment,
  events: readonly DurableRow[],
  closed: boolean,
  read: Map<string, number>,
  now: number,
) => void;

/**
 * The SQLite write path, straight on the better-sqlite3 connection (synchronous): statements
 * prepared once, a batch written in chunks, each chunk one transaction that also moves the
 * segment's end to that chunk's last event, so events and coverage always commit together.
 * Through TypeORM the same work cost re-prepared multi-row statements, parameter arrays and an
 * async hop per chunk.
 */
export class SqliteWriter {
  private readonly insertEvent: Statement;
  private readonly upsertTopic: Statement;
  private readonly upsertSegment: Statement;
  private readonly pruneEvents: Statement;
  private readonly pruneRest: Statement;
  private readonly writeChunk: WriteChunk;
  /** The connection's own `synchronous` level (a number), restored after each chunk. */
  private readonly appSynchronous: number;

  constructor(
    private readonly db: Database,
    private readonly topicIds: TopicIds,
  ) {
    this.appSynchronous = db.pragma('synchronous', { simple: true }) as number;
    this.insertEvent = db.prepare(
      `INSERT INTO ${EVENTS} (ms, seq, topic_id, type, data, ts) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.upsertTopic = db
      .prepare(
        `INSERT INTO ${TOPICS} (topic, used_ms) VALUES (?, ?)
         ON CONFLICT (topic) DO UPDATE SET used_ms = excluded.used_ms RETURNING id`,
      )
      .pluck();
    this.upsertSegment = db.prepare(
      `INSERT INTO ${SEGMENTS} (segment, start_ms, start_seq, end_ms, end_seq, closed, updated_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (segment) DO UPDATE SET end_ms = excluded.end_ms, end_seq = excluded.end_seq,
         closed = excluded.closed, updated_ms = excluded.updated_ms`,
    );
    // SQLite has no DELETE ... LIMIT: the ms of the row PRUNE_CHUNK_ROWS in caps the range (plus
    // the few rows sharing that ms), a range of the primary key either way.
    this.pruneEvents = db.prepare(
      `DELETE FROM ${EVENTS} WHERE ms < ? AND ms <= (SELECT ms FROM ${EVENTS} ORDER BY ms, seq LIMIT 1 OFFSET ?)`,
    );
    this.pruneRest = db.prepare(`DELETE FROM ${EVENTS} WHERE ms < ?`);
    this.writeChunk = db.transaction(((segment, range, events, closed, read, now) => {
      for (const e of events) {
        const [ms, seq] = eventIdParts(e.id);
        this.insertEvent.run(ms, seq, this.topicId(e.topic, read, now), e.type, e.data, e.timestamp);
      }
      const [sMs, sSeq] = splitEventId(range.start);
      const [eMs, eSeq] = splitEventId(range.end);
      this.upsertSegment.run(segment, sMs, sSeq, eMs, eSeq, closed ? 1 : 0, now);
    }) satisfies WriteChunk);
  }

  /**
   * Writes `events` (in id order) and moves the segment to `range.end`, pausing between chunks
   * (breather). A chunk short of the last ends the segment at its own last event: every
   * durable event up to there is then stored, whatever happens to the chunks after it.
   */
  async write(segment: string, range: Segment, events: readonly DurableRow[], closed: boolean): Promise<void> {
    let i = 0;
    let heldMs = 0;
    do {
      if (i > 0) await breather(heldMs);
      await this.idle();
      const startedAt = performance.now();
      const chunk = events.slice(i, i + SQLITE_CHUNK_ROWS);
      i += chunk.length;
      const last = i >= events.length;
      const end = last ? range.end : chunk[chunk.length - 1].id;
      const read = new Map<string, number>();
      const now = Date.now();
      this.relaxed(() => this.writeChunk(segment, { start: range.start, end }, chunk, closed && last, read, now));
      this.topicIds.remember(read, now);
      heldMs = performance.now() - startedAt;
    } while (i < events.length);
  }

  /** Deletes events with ms < `beforeMs`, in chunks paced like the writes (breather). */
  async prune(beforeMs: number): Promise<void> {
    for (;;) {
      await this.idle();
      const startedAt = performance.now();
      const { changes } = this.relaxed(() => this.pruneEvents.run(beforeMs, PRUNE_CHUNK_ROWS));
      if (changes === 0) {
        // Fewer rows than a chunk are left, all of them possibly old.
        await this.idle();
        this.relaxed(() => this.pruneRest.run(beforeMs));
        return;
      }
      await breather(performance.now() - startedAt);
    }
  }

  /** Runs one of the store's own commits at CHUNK_SYNCHRONOUS, then restores the connection's level. */
  private relaxed<T>(commit: () => T): T {
    this.db.pragma(`synchronous = ${CHUNK_SYNCHRONOUS}`);
    try {
      return commit();
    } finally {
      this.db.pragma(`synchronous = ${this.appSynchronous}`);
    }
  }

  private topicId(topic: string, read: Map<string, number>, now: number): number {
    let id = read.get(topic) ?? this.topicIds.get(topic, now);
    if (id === undefined) {
      id = this.upsertTopic.get(topic, now) as number;
      read.set(topic, id);
    }
    return id;
  }

  /**
   * TypeORM shares one SQLite connection between all modules, and its transactions span awaits:
   * a chunk written while another module's transaction is open would join it (and roll back with
   * it). The chunk therefore waits until no transaction is open; it then runs synchronously, so
   * nothing can start in between.
   */
  private async idle(): Promise<void> {
    const deadline = Date.now() + SQLITE_BUSY_WAIT_MS;
    while (this.db.inTransaction) {
      if (Date.now() > deadline) throw new Error('another SQLite transaction stayed open');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}
