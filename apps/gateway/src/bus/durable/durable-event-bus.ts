import { Logger, type BeforeApplicationShutdown, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { DataSource } from 'typeorm';
import { isStoredTopic, type EventPayloads, type EventType, type Topic } from '@tracklight/protocol';
import { ofType, type BusEventOf } from '../bus-event.js';
import { EventBus, type BusEvent, type BusHealth, type ReplayResult } from '../event-bus.js';
import { compareEventIds, parseEventId } from '../event-id.js';
import { BusUnavailableError } from '../redis/bus-unavailable.error.js';
import type { EventLog } from '../outbox/event-log.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';

export interface DurableOptions {
  windowMs: number;
  /** A resume needing more stored events than this gets snapshots instead. */
  maxReplay: number;
  /**
   * The inner bus shows an event before its log row records the id (Redis: the stream is read
   * by every instance while the relaying one is still writing the id). A resume from the log
   * then first waits for rows committed before it to have their ids.
   */
  showsBeforePersist: boolean;
  /** How long a resume waits for that; past it the resume is refused (retried by the client). */
  settleTimeoutMs: number;
}

interface Lifecycle {
  onModuleInit?(): Promise<void> | void;
  onApplicationShutdown?(): Promise<void> | void;
}

/**
 * Under load, direct publishes wait this long for company before they commit together. Each
 * commit rewrites the log's index pages it touches (the topic index is spread over every topic),
 * so commits of a few events cost several times per event what commits of dozens do: S4
 * (docs/benchmarks.md), 11,000 publishes/s, was 1.84x bare ws in CPU per delivery committing every
 * tick, 1.5x at 5 ms. "Under load" is a commit within the last window; a lone publish commits on
 * the next turn of the event loop instead of adding the window to its latency.
 */
export const DIRECT_LINGER_MS = 5;
/** A burst commits at once past this many (the linger is for trickles, not for floods). */
const DIRECT_MAX = 1000;

const NOT_RECOVERED: ReplayResult = { recovered: false, events: [] };

interface DirectPublish {
  topic: Topic;
  type: EventType;
  data: EventPayloads[EventType];
  resolve(event: BusEvent): void;
  reject(err: unknown): void;
}

/**
 * The bus as feature modules and the gateway see it when storage is present. Events of the stored
 * topics live in the event log (EventLog, written in the modules' own transactions) and reach the
 * inner bus only through the OutboxRelay, so the log holds every stored event with the id
 * subscribers saw. A resume the hot history cannot serve is answered from the log within
 * `windowMs`. A direct `publish` on a stored topic (no module transaction: tests, tools) is
 * group-committed (DIRECT_LINGER_MS) and answered once on the bus.
 */
export class DurableEventBus
  extends EventBus
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(DurableEventBus.name);
  private readonly relay: OutboxRelay;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Direct publishes of stored topics waiting for this tick's group commit. */
  private direct: DirectPublish[] = [];
  private directTimer: NodeJS.Timeout | undefined;
  private directImmediate: NodeJS.Immediate | undefined;
  private lastDirectCommitMs = Number.NEGATIVE_INFINITY;
  /** When the log began; a `since` before it is from a stream the log never held. */
  private startedMs = Number.POSITIVE_INFINITY;

  constructor(
    /** The bus doing the real work (in-process or Redis). */
    readonly inner: EventBus,
    private readonly log: EventLog,
    db: DataSource,
    private readonly options: DurableOptions,
  ) {
    super();
    this.relay = new OutboxRelay(inner, log, db);
  }

  get events$(): Observable<BusEvent> {
    return this.inner.events$;
  }

  async onModuleInit(): Promise<void> {
    this.startedMs = await this.log.store.startedMs();
    const newest = await this.log.store.newestBusId();
    const inner = this.inner as EventBus & { resumeAfter?(id: string): void };
    if (newest) inner.resumeAfter?.(newest);
    await (this.inner as Lifecycle).onModuleInit?.();
    this.relay.start();
    this.pruneTimer = setInterval(() => void this.prune(), 60_000);
    this.pruneTimer.unref();
  }

  /** Storage closes in onApplicationShutdown: the relay's last pass must end before. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.relay.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.inner as Lifecycle).onApplicationShutdown?.();
  }

  publish<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]): Promise<BusEventOf<K>> {
    // With no durable window nothing ever reads a direct publish's row back (no resume, and the
    // next prune takes it), so it skips the log; a module's events still commit with its change.
    if (!isStoredTopic(topic) || this.options.windowMs <= 0) return this.inner.publish(topic, type, data);
    // Without a request to answer, nobody could tell this caller its event is merely queued.
    if (this.inner.health() !== 'ok') return Promise.reject(new BusUnavailableError());
    return new Promise<BusEventOf<K>>((resolve, reject) => {
      this.direct.push({ topic, type, data, resolve: (event) => resolve(ofType(event, type)), reject });
      if (this.direct.length === 1) this.scheduleDirect();
      else if (this.direct.length >= DIRECT_MAX) void this.commitDirect();
    });
  }

  /**
   * The direct publishes of one linger window share one transaction (a group commit), as when a
   * module writes several events with its change.
   */
  private scheduleDirect(): void {
    if (Date.now() - this.lastDirectCommitMs < DIRECT_LINGER_MS)
      this.directTimer = setTimeout(() => void this.commitDirect(), DIRECT_LINGER_MS);
    else this.directImmediate = setImmediate(() => void this.commitDirect());
  }

  private async commitDirect(): Promise<void> {
    clearTimeout(this.directTimer);
    clearImmediate(this.directImmediate);
    this.lastDirectCommitMs = Date.now();
    const batch = this.direct;
    this.direct = [];
    if (this.log.sqlite && !this.options.showsBeforePersist) return this.publishDirect(batch);
    let seqs: readonly number[] = [];
    let waiting: Promise<BusEvent>[] = [];
    try {
      await this.log.transaction(
        async (_m, append) => {
          for (const p of batch) await append(p.topic, p.type, p.data);
        },
        // Waiting before the commit: the relay pass the commit starts resolves them.
        (appended) => {
          seqs = appended;
          waiting = appended.map((seq) => this.relay.relayed(seq));
        },
      );
    } catch (err) {
      this.relay.forget(seqs);
      for (const p of batch) p.reject(err);
      return;
    }
    const events = await Promise.all(waiting);
    batch.forEach((p, i) => p.resolve(events[i]));
  }

  /** SQLite with the in-process bus: ids, rows and emission in one step (EventLog.publishDirect). */
  private async publishDirect(batch: readonly DirectPublish[]): Promise<void> {
    try {
      const events = await this.log.publishDirect(this.inner, batch);
      batch.forEach((p, i) => p.resolve(events[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  async replay(topics: readonly string[], sinceId: string): Promise<ReplayResult> {
    const hot = await this.inner.replay(topics, sinceId);
    if (hot.recovered) return hot;
    try {
      return await this.fromLog(topics, sinceId);
    } catch (err) {
      if (err instanceof BusUnavailableError) throw err;
      this.logger.warn(`replay from the event log failed: ${(err as Error).message}`);
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
   * The logged events after `sinceId` up to this instance's bus position (the anchor): later
   * ones reach the caller on `events$`, so the two join without gap or duplicate.
   */
  private async fromLog(topics: readonly string[], sinceId: string): Promise<ReplayResult> {
    const since = parseEventId(sinceId);
    if (!since || !topics.length || !topics.every(isStoredTopic)) return NOT_RECOVERED;
    if (since[0] < Date.now() - this.options.windowMs || since[0] < this.startedMs) return NOT_RECOVERED;
    const anchor = this.inner.lastEventId();
    if (this.options.showsBeforePersist) {
      if (anchor === undefined) throw new BusUnavailableError();
      await this.settle();
    }
    if (anchor !== undefined && compareEventIds(sinceId, anchor) > 0) return NOT_RECOVERED;
    const events = await this.log.store.range(topics, { after: sinceId }, anchor, this.options.maxReplay + 1);
    if (events.length > this.options.maxReplay) return NOT_RECOVERED;
    return { recovered: true, events };
  }

  /**
   * Every event up to the anchor was committed before this call, so waiting until the rows
   * committed by now have their ids makes the log complete up to the anchor.
   */
  private async settle(): Promise<void> {
    const upTo = await this.log.store.maxSeq();
    const deadline = Date.now() + this.options.settleTimeoutMs;
    while ((await this.log.store.countUnrelayed(upTo)) > 0) {
      if (Date.now() > deadline) throw new BusUnavailableError('event bus catching up, retry later');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async prune(): Promise<void> {
    try {
      await this.log.store.prune(Date.now() - this.options.windowMs);
    } catch (err) {
      this.logger.warn(`pruning the event log failed: ${(err as Error).message}`);
    }
  }
}
