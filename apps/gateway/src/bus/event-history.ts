import type { BusEvent, ReplayResult } from './event-bus.js';
import { compareEventIds, parseEventId } from './event-id.js';
import { eventFrame, frameText } from './event-frame.js';

export interface RetentionPolicy {
  maxEvents: number;
  maxAgeMs: number;
}

/**
 * Ring of recent events for resume. Retention keeps whichever is more: the last `maxEvents`
 * events or everything younger than `maxAgeMs` (PROTOCOL.md: "whichever holds more").
 *
 * An event is kept as its WebSocket frame (eventFrame: built once, the same Buffer the fan-out
 * sends) with its id and topic beside it, not as the event object: ten minutes of a busy bus are
 * hundreds of thousands of events, and as object graphs (event, payload, nested objects) they
 * were most of what V8's collector had to trace and move, pauses that showed in every client's
 * p99 (S4 and S7 in docs/benchmarks.md). A frame's bytes live outside the V8 heap (small ones
 * share Node's Buffer pool slabs), so the collector sees one small object per event. A replay,
 * rare next to publishing, parses the frames of the events it returns.
 */
export class EventHistory {
  private ids: string[] = [];
  private topics: string[] = [];
  private frames: Buffer[] = [];
  private head = 0;
  /** Publish time (ms) of each retained event, parallel to the arrays above. */
  private times: number[] = [];

  constructor(private readonly policy: RetentionPolicy) {}

  get size(): number {
    return this.ids.length - this.head;
  }

  append(event: BusEvent, now = Date.now()): void {
    this.ids.push(event.id);
    this.topics.push(event.topic);
    this.frames.push(eventFrame(event));
    this.times.push(now);
    this.trim(now);
  }

  trim(now = Date.now()): void {
    const { maxEvents, maxAgeMs } = this.policy;
    while (this.size > maxEvents && now - this.times[this.head] > maxAgeMs) this.head += 1;
    // Compact occasionally so the arrays do not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.topics = this.topics.slice(this.head);
      this.frames = this.frames.slice(this.head);
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  oldestId(): string | undefined {
    return this.size ? this.ids[this.head] : undefined;
  }

  replay(topics: ReadonlySet<string>, sinceId: string): ReplayResult {
    if (!parseEventId(sinceId)) return { recovered: false, events: [] };
    const start = this.indexAfter(sinceId);
    if (start === undefined) return { recovered: false, events: [] };
    const out: BusEvent[] = [];
    for (let i = start; i < this.ids.length; i++) {
      if (topics.has(this.topics[i])) out.push(JSON.parse(frameText(this.frames[i])) as BusEvent);
    }
    return { recovered: true, events: out };
  }

  /**
   * Index of the first event after `sinceId`, or undefined when `sinceId` is not retained:
   * it must be the id of a retained event, or the resume would silently skip what was trimmed.
   */
  private indexAfter(sinceId: string): number | undefined {
    let lo = this.head;
    let hi = this.ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = compareEventIds(this.ids[mid], sinceId);
      if (cmp === 0) return mid + 1;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
