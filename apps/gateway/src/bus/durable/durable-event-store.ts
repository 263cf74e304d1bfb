import type { DataSource, EntityManager } from 'typeorm';
import { sqliteConnection } from '../../database/sqlite-connection.js';
import type { BusEvent } from '../event-bus.js';
import type { Segment } from './coverage.js';
import { rowEvent, type DurableRow } from './durable-row.js';
import { BUCKET_MS, EVENTS, SEGMENTS, TOPICS, ensureSchema } from './durable-schema.js';
import { splitEventId } from './split-event-id.js';
import { SqliteWriter } from './sqlite-writer.js';
import { TOPIC_KEEP_MS, TopicIds } from './topic-ids.js';

interface EventRow {
  ms: string | number;
  seq: string | number;
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

/**
 * Buckets one gap-fill statement covers: an hour of one-second buckets, a few ms of index seeks
 * per topic, so a day-old `since` takes 24 statements and SQLite's synchronous reads leave the
 * event loop turns between them.
 */
const READ_WINDOW_BUCKETS = 3600;

const segmentOf = (r: SegmentRow): StoredSegment => ({
  start: `${Number(r.start_ms)}-${Number(r.start_seq)}`,
  end: `${Number(r.end_ms)}-${Number(r.end_seq)}`,
  closed: Number(r.closed) === 1,
});

/**
 * Important events and the coverage of the recorders that wrote them, in the application's
 * database (SQLite or PostgreSQL). Ids are stored split into their numeric parts, so the
 * database orders them as the bus does; topics are stored as small integer ids (the topics
 * table), so the index gap-fill reads stays narrow. Layout: docs/storage.md.
 */
export class DurableEventStore {
  private readonly pg: boolean;
  private readonly topicIds = new TopicIds();
  private sqlite: SqliteWriter | undefined;

  constructor(private readonly db: DataSource) {
    this.pg = db.options.type === 'postgres';
  }

  /** Creates the tables when missing. Owned by the bus, so kept out of the feature migrations. */
  async ensureSchema(): Promise<void> {
    await ensureSchema(this.db);
  }

  /**
   * Stores `events` (in id order, ignoring ones already stored by another instance) and the
   * segment's new end. On SQLite the batch commits in chunks, the segment's end following each.
   */
  async record(segment: string, range: Segment, events: readonly DurableRow[], closed = false): Promise<void> {
    const sqlite = this.sqliteWriter();
    if (sqlite) return sqlite.write(segment, range, events, closed);
    const now = Date.now();
    const ids = await this.pgTopicIds(events, now);
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < events.length; i += 100) await this.insert(tx, events.slice(i, i + 100), ids);
      const [sMs, sSeq] = splitEventId(range.start);
      const [eMs, eSeq] = splitEventId(range.end);
      await tx.query(
        `INSERT INTO ${SEGMENTS} (segment, start_ms, start_seq, end_ms, end_seq, closed, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (segment) DO UPDATE SET end_ms = excluded.end_ms, end_seq = excluded.end_seq,
           closed = excluded.closed, updated_ms = excluded.updated_ms`,
        [segment, sMs, sSeq, eMs, eSeq, closed ? 1 : 0, now],
      );
    });
  }

  /** Segments that may touch the range starting at `sinceMs`. */
  async segments(sinceMs: number): Promise<StoredSegment[]> {
    const rows = await this.db.query<SegmentRow[]>(
      `SELECT start_ms, start_seq, end_ms, end_seq, closed FROM ${SEGMENTS} WHERE end_ms >= ${this.p(1)}`,
      [sinceMs],
    );
    return rows.map(segmentOf);
  }

  /** The newest segment end of all, with whether its recorder shut down cleanly. */
  async latest(): Promise<StoredSegment | undefined> {
    const rows = await this.db.query<SegmentRow[]>(
      `SELECT start_ms, start_seq, end_ms, end_seq, closed FROM ${SEGMENTS} ORDER BY end_ms DESC, end_seq DESC LIMIT 1`,
    );
    return rows[0] && segmentOf(rows[0]);
  }

  /**
   * Stored events of `topics` with from < id <= to, in id order; at most `limit` + 1 rows. The
   * index leads with the time bucket, so a read seeks each (bucket, topic) pair: one statement per
   * READ_WINDOW_BUCKETS buckets, in order, until `limit` + 1 rows are found. The bucket list is
   * the outer loop (CROSS JOIN keeps SQLite from walking the whole id range instead).
   */
  async range(topics: readonly string[], from: string, to: string, limit: number): Promise<BusEvent[]> {
    const [fMs, fSeq] = splitEventId(from);
    const [tMs, tSeq] = splitEventId(to);
    const n = topics.length;
    const buckets = this.pg
      ? `generate_series($${n + 1}::bigint, $${n + 2}::bigint) AS b(k)`
      : `(WITH RECURSIVE s(k) AS (SELECT ? UNION ALL SELECT k + 1 FROM s WHERE k < ?) SELECT k FROM s) b`;
    const sql = `SELECT e.ms, e.seq, t.topic, e.type, e.data, e.ts FROM ${buckets}
       CROSS JOIN ${TOPICS} t CROSS JOIN ${EVENTS} e
       WHERE t.topic IN (${this.params(1, n)}) AND e.ms / ${BUCKET_MS} = b.k AND e.topic_id = t.id
         AND (e.ms, e.seq) > (${this.p(n + 3)}, ${this.p(n + 4)}) AND (e.ms, e.seq) <= (${this.p(n + 5)}, ${this.p(n + 6)})
       ORDER BY e.ms, e.seq LIMIT ${this.p(n + 7)}`;
    const bounds = [fMs, fSeq, tMs, tSeq];
    const out: BusEvent[] = [];
    const last = Math.floor(tMs / BUCKET_MS);
    for (let first = Math.floor(fMs / BUCKET_MS); first <= last && out.length <= limit; first += READ_WINDOW_BUCKETS) {
      const window = [first, Math.min(last, first + READ_WINDOW_BUCKETS - 1)];
      // `?` binds in text order, where SQLite's bucket list comes before the topics.
      const params = this.pg ? [...topics, ...window, ...bounds] : [...window, ...topics, ...bounds];
      const rows = await this.db.query<EventRow[]>(sql, [...params, limit + 1 - out.length]);
      for (const r of rows) {
        const id = `${Number(r.ms)}-${Number(r.seq)}`;
        out.push(rowEvent({ id, topic: r.topic, type: r.type, data: r.data, timestamp: r.ts }));
      }
    }
    return out;
  }

  /**
   * Forgets what is older than `beforeMs`, except the segment still being written, and topics
   * no event refers to any more once no writer can still hold their id (TOPIC_KEEP_MS).
   */
  async prune(beforeMs: number, keepSegment: string): Promise<void> {
    const sqlite = this.sqliteWriter();
    if (sqlite) await sqlite.prune(beforeMs);
    else await this.db.query(`DELETE FROM ${EVENTS} WHERE ms < $1`, [beforeMs]);
    await this.db.query(`DELETE FROM ${SEGMENTS} WHERE end_ms < ${this.p(1)} AND segment <> ${this.p(2)}`, [
      beforeMs,
      keepSegment,
    ]);
    const now = Date.now();
    await this.db.query(
      `DELETE FROM ${TOPICS} WHERE used_ms < ${this.p(1)}
         AND NOT EXISTS (SELECT 1 FROM ${EVENTS} e WHERE e.topic_id = ${TOPICS}.id)`,
      [now - TOPIC_KEEP_MS],
    );
    this.topicIds.forgetStale(now);
  }

  /**
   * The ids of the batch's topics, read (and created) before its transaction and outside it: a
   * topic row is harmless on its own, and no transaction holds topic row locks while it waits
   * for another instance's copy of the same events. Sorted, so two instances lock alike.
   */
  private async pgTopicIds(events: readonly DurableRow[], now: number): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const missing = new Set<string>();
    for (const e of events) {
      const id = this.topicIds.get(e.topic, now);
      if (id === undefined) missing.add(e.topic);
      else ids.set(e.topic, id);
    }
    if (!missing.size) return ids;
    const rows = await this.db.query<{ id: number | string; topic: string }[]>(
      `INSERT INTO ${TOPICS} (topic, used_ms) SELECT unnest($1::varchar[]), $2::bigint
       ON CONFLICT (topic) DO UPDATE SET used_ms = excluded.used_ms RETURNING id, topic`,
      [[...missing].sort(), now],
    );
    const read = new Map(rows.map((r) => [r.topic, Number(r.id)]));
    this.topicIds.remember(read, now);
    for (const [topic, id] of read) ids.set(topic, id);
    return ids;
  }

  private async insert(
    tx: EntityManager,
    events: readonly DurableRow[],
    ids: ReadonlyMap<string, number>,
  ): Promise<void> {
    if (!events.length) return;
    const values: unknown[] = [];
    const tuples = events.map((e, i) => {
      const [ms, seq] = splitEventId(e.id);
      values.push(ms, seq, ids.get(e.topic), e.type, e.data, e.timestamp);
      return `(${this.params(i * 6 + 1, 6)})`;
    });
    await tx.query(
      `INSERT INTO ${EVENTS} (ms, seq, topic_id, type, data, ts) VALUES ${tuples.join(', ')}
       ON CONFLICT (ms, seq) DO NOTHING`,
      values,
    );
  }

  private sqliteWriter(): SqliteWriter | undefined {
    if (this.sqlite) return this.sqlite;
    const db = sqliteConnection(this.db);
    if (db) this.sqlite = new SqliteWriter(db, this.topicIds);
    return this.sqlite;
  }

  private p(i: number): string {
    return this.pg ? `$${i}` : '?';
  }

  private params(first: number, count: number): string {
    return Array.from({ length: count }, (_, i) => this.p(first + i)).join(', ');
  }
}
