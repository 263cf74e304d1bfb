import { toBusEvent, type BusEvent, type EventParts } from './bus-event.js';
import type { ReplayResult } from './event-bus.js';
import { eventFrame, frameText } from './event-frame.js';
import { eventIdParts, parseEventId } from './event-id.js';
import { HistoryBlock } from './history-block.js';
import { HistoryTopics } from './history-topics.js';

export interface RetentionPolicy {
  maxEvents: number;
  maxAgeMs: number;
}

/**
 * Recent events for resume. Retention keeps whichever is more: the last `maxEvents` events or
 * everything younger than `maxAgeMs` (docs/PROTOCOL.md: "whichever holds more").
 *
 * Ten minutes of a busy bus are millions of events, and every one of them outlives V8's young
 * generation: kept as objects (the event, or even just its id string and frame Buffer) they were
 * promoted, grew the old generation by the event rate and were traced again by every full
 * collection (docs/benchmarks.md S4 at 11,000 events/s: 6.6 million of them after ten minutes). Events are therefore
 * kept in HistoryBlocks: each event's frame (eventFrame: the bytes the fan-out sends) copied into
 * one large Buffer, and its id, time and topic in typed arrays. A replay, rare next to
 * publishing, parses the frames of the events it returns.
 */
export class EventHistory {
  private blocks: HistoryBlock[] = [];
  private readonly topics = new HistoryTopics();
  /** Trimmed events at the start of blocks[0]. */
  private head = 0;
  private total = 0;

  constructor(private readonly policy: RetentionPolicy) {}

  get size(): number {
    return this.total - this.head;
  }

  append(event: BusEvent, now = Date.now()): void {
    const frame = eventFrame(event);
    const [ms, seq] = eventIdParts(event.id);
    let block = this.blocks[this.blocks.length - 1];
    if (!block?.fits(frame.length)) {
      block = new HistoryBlock(frame.length);
      this.blocks.push(block);
    }
    block.append(ms, seq, now, this.topics.retain(event.topic), frame);
    this.total += 1;
    this.trim(now);
  }

  trim(now = Date.now()): void {
    const { maxEvents, maxAgeMs } = this.policy;
    let first = this.blocks[0];
    while (this.size > maxEvents && now - first.time[this.head] > maxAgeMs) {
      this.head += 1;
      if (this.head === first.count && this.blocks.length > 1) {
        // Every event of the first block is trimmed: it goes whole.
        this.blocks.shift();
        for (let i = 0; i < first.count; i++) this.topics.release(first.topics[i]);
        this.total -= first.count;
        this.head = 0;
        first = this.blocks[0];
      }
    }
  }

  oldestId(): string | undefined {
    if (!this.size) return undefined;
    const first = this.blocks[0];
    return `${first.ms[this.head]}-${first.seq[this.head]}`;
  }

  replay(topics: ReadonlySet<string>, sinceId: string): ReplayResult {
    const since = parseEventId(sinceId);
    const start = since && this.positionAfter(since[0], since[1]);
    if (!start) return { recovered: false, events: [] };
    const out: BusEvent[] = [];
    const wanted = this.topics.wanted(topics);
    if (!wanted) return { recovered: true, events: out };
    for (let b = start.block; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      for (let i = b === start.block ? start.index : 0; i < block.count; i++) {
        if (!wanted[block.topics[i]]) continue;
        // The frame's JSON is the event's own fields, written from an event that passed the check.
        const event = toBusEvent(JSON.parse(frameText(block.frame(i))) as EventParts);
        if (event) out.push(event);
      }
    }
    return { recovered: true, events: out };
  }

  /**
   * Where the events after `since` begin, or undefined when `since` is not retained: it must be
   * the id of a retained event, or the resume would silently skip what was trimmed.
   */
  private positionAfter(ms: number, seq: number): { block: number; index: number } | undefined {
    // The last block whose first event is not after `since` is the only one that can hold it.
    let lo = 0;
    let hi = this.blocks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid];
      if (block.ms[0] < ms || (block.ms[0] === ms && block.seq[0] <= seq)) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const index = this.blocks[found].find(ms, seq, found === 0 ? this.head : 0);
    return index < 0 ? undefined : { block: found, index: index + 1 };
  }
}
