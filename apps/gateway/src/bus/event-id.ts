/**
 * Event ids have the shape of Redis stream ids, `<ms>-<seq>`, so the in-process and Redis buses
 * order ids the same way and a client's `since` survives a switch between them.
 */
const ID_PATTERN = /^(\d{1,16})-(\d{1,16})$/;

export function parseEventId(id: string): [number, number] | undefined {
  const match = ID_PATTERN.exec(id);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2])];
}

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

/** Negative when a < b. Both ids must be well-formed. */
export function compareEventIds(a: string, b: string): number {
  const pa = parseEventId(a);
  const pb = parseEventId(b);
  if (!pa || !pb) throw new Error(`malformed event id: ${pa ? b : a}`);
  return pa[0] - pb[0] || pa[1] - pb[1];
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
