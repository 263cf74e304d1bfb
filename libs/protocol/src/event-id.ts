/**
 * Event ids are opaque to clients on the wire, but every Tracklight bus emits Redis-stream-shaped
 * `<ms>-<seq>` ids; clients order them to drop duplicates after a resume.
 */
const EVENT_ID_PATTERN = /^(\d{1,16})-(\d{1,16})$/;

export function isEventId(id: string): boolean {
  return EVENT_ID_PATTERN.test(id);
}

/** Negative when a < b, 0 when equal, positive when a > b. Malformed ids sort before every valid id. */
export function compareEventIds(a: string, b: string): number {
  const ma = EVENT_ID_PATTERN.exec(a);
  const mb = EVENT_ID_PATTERN.exec(b);
  if (!ma || !mb) return (ma ? 1 : 0) - (mb ? 1 : 0);
  return Number(ma[1]) - Number(mb[1]) || Number(ma[2]) - Number(mb[2]);
}
