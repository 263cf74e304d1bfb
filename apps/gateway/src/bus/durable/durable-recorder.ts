import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { BusEvent, EventBus } from '../event-bus.js';
import type { Segment } from './coverage.js';
import type { DurableEventStore } from './durable-event-store.js';
import { durableRow, rowEvent, type DurableRow } from './durable-row.js';
import { isDurableTopic } from './durable-topics.js';

export interface RecorderOptions {
  flushMs: number;
  /** Events waiting for storage beyond this are dropped and a new segment begins (a visible hole). */
  maxQueued: number;
  /** Single process on the in-memory bus: a clean shutdown leaves no hole before the next run. */
  continuesAfterCleanShutdown: boolean;
}

/**
 * Writes the durable events this instance delivers into storage, in batches, and after each
 * batch moves its segment's end to the bus position the batch was taken at: storage then
 * provably holds every durable event up to there. Several instances record the same events;
 * storage keeps one copy.
 */
export class DurableRecorder {
  private readonly logger = new Logger(DurableRecorder.name);
  private segmentId = randomUUID();
  private range: Segment | undefined;
  private queue: DurableRow[] = [];
  private inflight: DurableRow[] = [];
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dirty = false;
  private closing = false;
  private closedRecorded = false;

  constructor(
    private readonly bus: EventBus,
    private readonly store: DurableEventStore,
    private readonly options: RecorderOptions,
  ) {}

  get segment(): string {
    return this.segmentId;
  }

  /**
   * What this run vouches for right now: its range up to the bus position, and the durable
   * events of that range not yet committed to storage (queued or being written). Undefined
   * until the run has a starting position.
   */
  current(): { range: Segment; pending: BusEvent[] } | undefined {
    if (!this.range) return undefined;
    const end = this.bus.lastEventId() ?? this.range.start;
    return { range: { start: this.range.start, end }, pending: [...this.inflight, ...this.queue].map(rowEvent) };
  }

  async start(): Promise<void> {
    const latest = await this.store.latest();
    this.timer = setInterval(() => void this.tick(), this.options.flushMs);
    this.timer.unref();
    let fallback: string | undefined;
    if (this.options.continuesAfterCleanShutdown) {
      // Nothing can have been published between a clean shutdown and this start.
      fallback = latest?.closed ? latest.end : `${Date.now() - 1}-0`;
    }
    this.begin(fallback);
  }

  /**
   * Final flush while storage is still open, marking the segment cleanly closed. Recording goes
   * on (still marked closed) for anything published during the rest of the shutdown.
   */
  async close(): Promise<void> {
    this.closing = true;
    await this.flush(true);
  }

  /** Stops for good; storage may already be closed. */
  stop(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** Starts the segment at the bus position, in the same tick as the subscription. */
  private begin(fallback: string | undefined, startAt?: string): void {
    if (this.range) return;
    const start = startAt ?? this.bus.lastEventId() ?? fallback;
    // On Redis the position is unknown until the reader reached Redis; the tick retries.
    if (start === undefined) return;
    this.range = { start, end: start };
    this.dirty = true;
    this.subscription = this.bus.events$.subscribe((e) => {
      if (isDurableTopic(e.topic)) this.queue.push(durableRow(e));
      if (this.queue.length > this.options.maxQueued) this.restart();
    });
  }

  /**
   * The bus skipped events (trimmed before it read them): nothing up to `trimmedUpTo` can be
   * vouched for by this run any more, so a new segment starts after it.
   */
  gap(trimmedUpTo: string): void {
    this.restart(trimmedUpTo);
  }

  private restart(startAt?: string): void {
    if (!startAt) this.logger.warn('storage is not keeping up: dropping queued durable events, new segment');
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    this.queue = [];
    this.inflight = [];
    this.range = undefined;
    this.segmentId = randomUUID();
    this.begin(undefined, startAt);
  }

  private async tick(): Promise<void> {
    if (!this.range) {
      this.begin(undefined);
      return;
    }
    await this.flush(this.closing);
  }

  private async flush(closing: boolean): Promise<void> {
    while (this.flushing) await this.flushing;
    const range = this.range;
    if (!range) return;
    const end = this.bus.lastEventId() ?? range.end;
    if (!this.queue.length && end === range.end && !this.dirty && !(closing && !this.closedRecorded)) return;
    const batch = this.queue;
    this.queue = [];
    this.inflight = batch;
    const segment = this.segmentId;
    this.flushing = this.store
      .record(segment, { start: range.start, end }, batch, closing)
      .then(() => {
        if (this.range === range) range.end = end;
        this.dirty = false;
        if (closing) this.closedRecorded = true;
      })
      .catch((err: unknown) => {
        // Kept for the next tick; the segment end does not move, so nothing is claimed.
        if (this.range === range) this.queue = [...batch, ...this.queue];
        this.logger.warn(`recording durable events failed: ${(err as Error).message}`);
      })
      .finally(() => {
        this.inflight = [];
        this.flushing = undefined;
      });
    await this.flushing;
  }
}
