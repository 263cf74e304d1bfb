/**
 * Event ids are opaque to clients on the wire, but every Tracklight bus emits Redis-stream-shaped
 * `<ms>-<seq>` ids, so the in-process and Redis buses order ids the same way, a client's `since`
 * survives a switch between them, and clients order them to drop duplicates after a resume.
 */
const EVENT_ID_PATTERN = /^(\d{1,16})-(\d{1,16})$/;

export function isEventId(id: string): boolean {
  return EVENT_ID_PATTERN.test(id);
}

/** [ms, seq] of a well-formed id, else undefined. */
export function parseEventId(id: string): [number, number] | undefined {
  const match = EVENT_ID_PATTERN.exec(id);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2])];
}

/**
 * Negative when a < b, 0 when equal, positive when a > b: by milliseconds, then by sequence,
 * numerically. It never throws: a malformed id sorts before every valid id (and equal to any other
 * malformed one), so a `since` a client made up is "older than everything" and a sort over
 * untrusted ids stays a total order. Callers that must refuse malformed ids check `isEventId` first.
 */
export function compareEventIds(a: string, b: string): number {
  const pa = parseEventId(a);
  const pb = parseEventId(b);
  if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
  return pa[0] - pb[0] || pa[1] - pb[1];
}
