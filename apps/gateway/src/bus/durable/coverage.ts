import { compareEventIds } from '../event-id.js';

/** A recorder run: every durable event with start < id <= end is in storage. */
export interface Segment {
  start: string;
  end: string;
}

/**
 * Whether the union of the segments covers (from, to] without a hole, so that storage holds
 * every durable event in that range. Segments of several instances overlap; a segment that
 * ended in a crash leaves a hole up to the next segment's start unless another covers it.
 */
export function covers(segments: readonly Segment[], from: string, to: string): boolean {
  const sorted = [...segments].sort((a, b) => compareEventIds(a.start, b.start));
  let reached = from;
  for (const s of sorted) {
    if (compareEventIds(reached, to) >= 0) break;
    if (compareEventIds(s.start, reached) > 0) break;
    if (compareEventIds(s.end, reached) > 0) reached = s.end;
  }
  return compareEventIds(reached, to) >= 0;
}
