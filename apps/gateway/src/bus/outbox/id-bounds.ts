import { eventIdParts } from '../event-id.js';

/** An id stored as two integer columns: its millisecond and its sequence within it. */
export interface IdColumns {
  ms: string;
  seq: string;
}

/** An SQL condition with its parameters, to AND into a WHERE clause. */
export interface Condition {
  sql: string;
  params: number[];
}

/** Where a read of the log starts: after an event id, or at a time. */
export type RangeStart = { after: string } | { fromMs: number };

/** The stored id is past the start of a read. */
export function idFrom(cols: IdColumns, from: RangeStart): Condition {
  return 'after' in from ? idAfter(cols, from.after) : { sql: `${cols.ms} >= ?`, params: [from.fromMs] };
}

/** The stored id comes after `id` (ids order by ms, then seq: compareEventIds). */
export function idAfter({ ms, seq }: IdColumns, id: string): Condition {
  const [m, s] = eventIdParts(id);
  return { sql: `(${ms} > ? OR (${ms} = ? AND ${seq} > ?))`, params: [m, m, s] };
}

/** The stored id is `id` or comes before it. */
export function idUpTo({ ms, seq }: IdColumns, id: string): Condition {
  const [m, s] = eventIdParts(id);
  return { sql: `(${ms} < ? OR (${ms} = ? AND ${seq} <= ?))`, params: [m, m, s] };
}

/** How an id's parts order against another's (negative: before), without building either id. */
export function compareIdParts(ms: number, seq: number, [otherMs, otherSeq]: readonly [number, number]): number {
  return ms - otherMs || seq - otherSeq;
}
