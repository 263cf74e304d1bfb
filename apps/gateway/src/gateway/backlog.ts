import { conflationKey } from '@tracklight/protocol';
import type { BusEvent } from '../bus/event-bus.js';

interface Queued {
  frame: Buffer;
  /** An event frame (counted as a delivery when written), not a reply. */
  event: boolean;
}

/**
 * The frames of a client that fell behind (its socket buffer passed WS_CONFLATE_BYTES), in send
 * order, until the socket drains. Keyed by the family's declared `conflateBy` (libs/protocol
 * topic-registry.ts), so that e.g. the newest `map_update` of a package and the newest
 * `dashboard_metrics` replace the queued older one: a lagging map or dashboard gets the latest
 * state instead of every intermediate one. Every other frame has a unique key.
 *
 * Order is kept: a Map iterates in insertion order, and a replaced entry is deleted and re-added
 * at the end, where the newest frame belongs (bus ids only grow), so ids never go backwards.
 */
export class Backlog {
  private readonly queue = new Map<string | number, Queued>();
  private seq = 0;
  /** Bytes queued: with the socket's own buffer, what counts against WS_MAX_BUFFERED_BYTES. */
  bytes = 0;

  get size(): number {
    return this.queue.size;
  }

  /** Queues an event frame; true when it replaced an older value of the same key (conflated). */
  pushEvent(event: BusEvent, frame: Buffer): boolean {
    const key = conflationKey(event.topic, event.type, event.data);
    if (key === undefined) {
      this.add(this.seq++, frame, true);
      return false;
    }
    const old = this.queue.get(key);
    if (old) {
      this.queue.delete(key);
      this.bytes -= old.frame.length;
    }
    this.add(key, frame, true);
    return old !== undefined;
  }

  /** Queues a reply or error frame behind the events already waiting. */
  pushReply(frame: Buffer): void {
    this.add(this.seq++, frame, false);
  }

  /** Takes the oldest frame, if any. */
  shift(): Queued | undefined {
    for (const [key, queued] of this.queue) {
      this.queue.delete(key);
      this.bytes -= queued.frame.length;
      return queued;
    }
    return undefined;
  }

  private add(key: string | number, frame: Buffer, event: boolean): void {
    this.queue.set(key, { frame, event });
    this.bytes += frame.length;
  }
}
