import type { BusEvent, ReplayResult } from './event-bus.js';
import { compareEventIds, parseEventId } from './event-id.js';

export interface RetentionPolicy {
  maxEvents: number;
  maxAgeMs: number;
}

/**
 * Ring of recent events for resume. Retention keeps whichever is more: the last `maxEvents`
 * events or everything younger than `maxAgeMs` (PROTOCOL.md: "whichever holds more").
 */
export class EventHistory {
  private events: BusEvent[] = [];
  private head = 0;
  /** Publish time (ms) of each retained event, parallel to `events`. */
  private times: number[] = [];

  constructor(private readonly policy: RetentionPolicy) {}

  get size(): number {
    return this.events.length - this.head;
  }

  append(event: BusEvent, now = Date.now()): void {
    this.events.push(event);
    this.times.push(now);
    this.trim(now);
  }

  trim(now = Date.now()): void {
    const { maxEvents, maxAgeMs } = this.policy;
    while (this.size > maxEvents && now - this.times[this.head] > maxAgeMs) this.head += 1;
    // Compact occasionally so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  oldestId(): string | undefined {
    return this.size ? this.events[this.head].id : undefined;
  }

  replay(topics: ReadonlySet<string>, sinceId: string): ReplayResult {
    if (!parseEventId(sinceId)) return { recovered: false, events: [] };
    const start = this.indexAfter(sinceId);
    if (start === undefined) return { recovered: false, events: [] };
    const out: BusEvent[] = [];
    for (let i = start; i < this.events.length; i++) {
      const e = this.events[i];
      if (topics.has(e.topic)) out.push(e);
    }
    return { recovered: true, events: out };
  }

  /**
   * Index of the first event after `sinceId`, or undefined when `sinceId` is not retained:
   * it must be the id of a retained event, or the resume would silently skip what was trimmed.
   */
  private indexAfter(sinceId: string): number | undefined {
    let lo = this.head;
    let hi = this.events.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = compareEventIds(this.events[mid].id, sinceId);
      if (cmp === 0) return mid + 1;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
