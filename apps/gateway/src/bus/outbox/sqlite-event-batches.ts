import type { Database, Statement } from 'better-sqlite3';
import { requireBusEvent, type BusEvent } from '../bus-event.js';
import { eventIdParts } from '../event-id.js';
import type { NewLogRow } from './event-log-store.js';
import { compareIdParts, idFrom, idUpTo, type IdColumns, type RangeStart } from './id-bounds.js';

const TABLE = 'tracklight_event_batch';
const FIRST: IdColumns = { ms: 'first_ms', seq: 'first_seq' };
const LAST: IdColumns = { ms: 'last_ms', seq: 'last_seq' };

/** One event of a batch as stored: [ms, seq, topic, type, data]; the id is `${ms}-${seq}`. */
type BatchEntry = [number, number, string, string, unknown];

interface BatchRow {
  events: string;
}

/**
 * The direct publishes of one group commit as one row (migration 1763780000033): a row per event
 * cost a table entry, a bus-id index entry and a topic index entry, and on S4 that was the event
 * log's whole cost (docs/benchmarks.md). Batches never overlap: each holds the ids the bus handed
 * out for it in one go, in order, and one commits at a time (EventLog.exclusive). A read walks the
 * batches whose ids reach past its start, skips those whose `topics` name none of its topics
 * without parsing them, and stops at its limit, so it costs what it returns plus one instr() per
 * batch in its range. Module writes keep their rows in tracklight_event_log (and its indexes).
 */
export class SqliteEventBatches {
  private readonly insertRow: Statement;
  private readonly newestRow: Statement;
  private readonly pruneRows: Statement;

  constructor(private readonly db: Database) {
    this.insertRow = db.prepare(
      `INSERT INTO ${TABLE} (first_ms, first_seq, last_ms, last_seq, topics, events) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.newestRow = db.prepare(`SELECT last_ms, last_seq FROM ${TABLE} ORDER BY last_ms DESC, last_seq DESC LIMIT 1`);
    this.pruneRows = db.prepare(`DELETE FROM ${TABLE} WHERE last_ms < ?`);
  }

  /** Inside the caller's transaction; `ids` are the bus's, in `rows` order (ascending). */
  insert(rows: readonly NewLogRow[], ids: readonly string[]): void {
    if (!rows.length) return;
    const topics = new Set<string>();
    const entries: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const [ms, seq] = eventIdParts(ids[i]);
      topics.add(r.topic);
      // r.data is already the payload's JSON text: spliced in, not parsed and written again.
      entries.push(`[${ms},${seq},${JSON.stringify(r.topic)},${JSON.stringify(r.type)},${r.data}]`);
    }
    const [firstMs, firstSeq] = eventIdParts(ids[0]);
    const [lastMs, lastSeq] = eventIdParts(ids[ids.length - 1]);
    // Topic names never hold a newline (topic grammar), so `\n<topic>\n` matches whole names only.
    this.insertRow.run(firstMs, firstSeq, lastMs, lastSeq, `\n${[...topics].join('\n')}\n`, `[${entries.join(',')}]`);
  }

  /** Events of `topics` in the range, in id order, at most `limit` (EventLogStore.range's contract). */
  range(topics: readonly string[], from: RangeStart, upTo: string | undefined, limit: number): BusEvent[] {
    if (!topics.length || limit <= 0) return [];
    const after = 'after' in from ? eventIdParts(from.after) : undefined;
    const fromMs = 'fromMs' in from ? from.fromMs : undefined;
    const end = upTo === undefined ? undefined : eventIdParts(upTo);
    // A batch is in range when its last id is past the start and its first not past the end.
    const start = idFrom(LAST, from);
    let where = start.sql;
    const params: unknown[] = [...start.params];
    if (upTo !== undefined) {
      const stop = idUpTo(FIRST, upTo);
      where += ` AND ${stop.sql}`;
      params.push(...stop.params);
    }
    where += ` AND (${topics.map(() => 'instr(topics, ?) > 0').join(' OR ')})`;
    params.push(...topics.map((t) => `\n${t}\n`));
    // Prepared per read: the topic count varies, and reads are rare next to writes.
    const rows = this.db
      .prepare(`SELECT events FROM ${TABLE} WHERE ${where} ORDER BY last_ms, last_seq`)
      .iterate(params) as IterableIterator<BatchRow>;
    const wanted = new Set(topics);
    const out: BusEvent[] = [];
    for (const row of rows) {
      for (const [ms, seq, topic, type, data] of JSON.parse(row.events) as BatchEntry[]) {
        if (!wanted.has(topic)) continue;
        if (after && compareIdParts(ms, seq, after) <= 0) continue;
        if (fromMs !== undefined && ms < fromMs) continue;
        // Ids only grow from here on: nothing later can be in range.
        if (end && compareIdParts(ms, seq, end) > 0) return out;
        out.push(requireBusEvent({ id: `${ms}-${seq}`, topic, type, data, timestamp: new Date(ms).toISOString() }));
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** The newest id any batch holds. */
  newest(): string | undefined {
    const row = this.newestRow.get() as { last_ms: number; last_seq: number } | undefined;
    return row ? `${row.last_ms}-${row.last_seq}` : undefined;
  }

  /** Batches whose newest event is older than `beforeMs`. */
  prune(beforeMs: number): void {
    this.pruneRows.run(beforeMs);
  }
}
