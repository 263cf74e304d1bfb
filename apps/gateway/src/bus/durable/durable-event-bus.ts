import { Logger, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Observable, Subscription } from 'rxjs';
import type { EventPayloads, EventType, Topic } from '@tracklight/protocol';
import { EventBus, type BusEvent, type BusHealth, type ReplayResult } from '../event-bus.js';
import { compareEventIds, parseEventId } from '../event-id.js';
import { covers } from './coverage.js';
import type { DurableEventStore } from './durable-event-store.js';
import { DurableRecorder } from './durable-recorder.js';
import { isDurableTopic } from './durable-topics.js';

export interface DurableOptions {
  windowMs: number;
  flushMs: number;
  /** A resume needing more stored events than this gets snapshots instead. */
  maxReplay: number;
  continuesAfterCleanShutdown: boolean;
}

interface Lifecycle {
  onModuleInit?(): Promise<void> | void;
  onApplicationShutdown?(): Promise<void> | void;
}

const NOT_RECOVERED: ReplayResult = { recovered: false, events: [] };

/**
 * Durable gap-fill: wraps the bus, records important events in storage, and answers a resume
 * the hot history cannot (its `since` is older) from storage, within `windowMs`, when every
 * requested topic is durable and storage provably holds every event since then. The stored part
 * runs up to this instance's bus position, so the answer joins up with `events$` exactly as
 * the inner bus's own replay does.
 */
export class DurableEventBus
  extends EventBus
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(DurableEventBus.name);
  private readonly recorder: DurableRecorder;
  private pruneTimer: NodeJS.Timeout | undefined;
  private gapSubscription: Subscription | undefined;

  constructor(
    /** The bus doing the real work (in-process or Redis). */
    readonly inner: EventBus,
    private readonly store: DurableEventStore,
    private readonly options: DurableOptions,
  ) {
    super();
    this.recorder = new DurableRecorder(inner, store, {
      flushMs: options.flushMs,
      maxQueued: 50_000,
      continuesAfterCleanShutdown: options.continuesAfterCleanShutdown,
    });
  }

  get events$(): Observable<BusEvent> {
    return this.inner.events$;
  }

  async onModuleInit(): Promise<void> {
    await (this.inner as Lifecycle).onModuleInit?.();
    await this.store.ensureSchema();
    await this.recorder.start();
    const gaps = (this.inner as { gaps$?: Observable<string> }).gaps$;
    this.gapSubscription = gaps?.subscribe((trimmedUpTo) => this.recorder.gap(trimmedUpTo));
    this.pruneTimer = setInterval(() => void this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  /** Storage closes in onApplicationShutdown: the last batch must be written before. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.recorder.close();
  }

  async onApplicationShutdown(): Promise<void> {
    this.recorder.stop();
    this.gapSubscription?.unsubscribe();
    await (this.inner as Lifecycle).onApplicationShutdown?.();
  }

  publish<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]): Promise<BusEvent<K>> {
    return this.inner.publish(topic, type, data);
  }

  async replay(topics: readonly string[], sinceId: string): Promise<ReplayResult> {
    const hot = await this.inner.replay(topics, sinceId);
    if (hot.recovered) return hot;
    try {
      return await this.fromStorage(topics, sinceId);
    } catch (err) {
      this.logger.warn(`durable replay failed: ${(err as Error).message}`);
      return NOT_RECOVERED;
    }
  }

  lastEventId(): string | undefined {
    return this.inner.lastEventId();
  }

  health(): BusHealth {
    return this.inner.health();
  }

  /**
   * The stored events after `sinceId` up to this instance's bus position (the anchor), plus the
   * ones of this run not yet committed. Recovered only when the recorded ranges of all runs,
   * this one included, cover (since, anchor] without a hole.
   */
  private async fromStorage(topics: readonly string[], sinceId: string): Promise<ReplayResult> {
    const since = parseEventId(sinceId);
    if (!since || !topics.length || !topics.every(isDurableTopic)) return NOT_RECOVERED;
    if (since[0] < Date.now() - this.options.windowMs) return NOT_RECOVERED;
    // Taken in one tick with the bus position, so nothing between storage and events$ is missed.
    const own = this.recorder.current();
    if (!own) return NOT_RECOVERED;
    const anchor = own.range.end;
    if (compareEventIds(sinceId, anchor) > 0) return NOT_RECOVERED;
    const segments = await this.store.segments(since[0]);
    if (!covers([...segments, own.range], sinceId, anchor)) return NOT_RECOVERED;
    const stored = await this.store.range(topics, sinceId, anchor, this.options.maxReplay);
    if (stored.length > this.options.maxReplay) return NOT_RECOVERED;
    const wanted = new Set(topics);
    const byId = new Map(stored.map((e) => [e.id, e]));
    for (const e of own.pending) {
      if (wanted.has(e.topic) && compareEventIds(e.id, sinceId) > 0 && compareEventIds(e.id, anchor) <= 0) {
        byId.set(e.id, e);
      }
    }
    return { recovered: true, events: [...byId.values()].sort((a, b) => compareEventIds(a.id, b.id)) };
  }

  private async prune(): Promise<void> {
    try {
      await this.store.prune(Date.now() - this.options.windowMs, this.recorder.segment);
    } catch (err) {
      this.logger.warn(`pruning durable events failed: ${(err as Error).message}`);
    }
  }
}
