// One implementation and one ordering rule for the gateway, the bus and the clients.
export { compareEventIds, parseEventId } from '@tracklight/protocol';

/**
 * [ms, seq] of an id a bus assigned or checked, so known to be well-formed: per event on the
 * hot path, without the regex and substrings of parseEventId.
 */
export function eventIdParts(id: string): [number, number] {
  let ms = 0;
  let i = 0;
  for (; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c === 45) break; // '-'
    ms = ms * 10 + (c - 48);
  }
  let seq = 0;
  for (i += 1; i < id.length; i++) seq = seq * 10 + (id.charCodeAt(i) - 48);
  return [ms, seq];
}

/** Produces strictly increasing ids even when the wall clock stalls or steps back. */
export class EventIdGenerator {
  private lastMs = 0;
  private seq = 0;

  /** The next id will be greater than `id`. */
  after(id: string): void {
    const [ms, seq] = eventIdParts(id);
    if (ms > this.lastMs || (ms === this.lastMs && seq > this.seq)) {
      this.lastMs = ms;
      this.seq = seq;
    }
  }

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.seq = 0;
    } else {
      this.seq += 1;
    }
    return `${this.lastMs}-${this.seq}`;
  }
}
