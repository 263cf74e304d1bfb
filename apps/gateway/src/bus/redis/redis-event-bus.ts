import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Subject, type Observable } from 'rxjs';
import type { EventPayloads, EventType, Topic } from '@tracklight/protocol';
import type { AppConfig } from '../../config/app-config.js';
import type { HealthService } from '../../health/health.service.js';
import {
  EventBus,
  type BusEvent,
  type BusHealth,
  type LoggedEvent,
  type PersistIds,
  type ReplayResult,
} from '../event-bus.js';
import { publishedEvent, requireBusEvent, type BusEventOf } from '../bus-event.js';
import { EventHistory } from '../event-history.js';
import { compareEventIds, parseEventId } from '../event-id.js';
import { BusUnavailableError } from './bus-unavailable.error.js';
import { PUBLISH_ONCE_SCRIPT, PUBLISH_SCRIPT } from './publish-script.js';
import { createRedisClient, whenReady } from './redis-client.js';
import { decodeEntry, type RawStreamEntry } from './stream-entry.js';
import { StreamReader } from './stream-reader.js';

export interface RedisEventBusOptions {
  blockMs: number;
  readBatch: number;
  /** Upper bound on entries one publish trims; trimming catches up over the next publishes. */
  trimBatch: number;
  replayPage: number;
  /** How long startup waits for Redis before carrying on degraded. */
  startupTimeoutMs: number;
  /** How long a replay waits for this instance to catch up with a `since` seen elsewhere. */
  catchUpTimeoutMs: number;
}

const DEFAULTS: RedisEventBusOptions = {
  blockMs: 2_000,
  readBatch: 500,
  trimBatch: 1_000,
  replayPage: 1_000,
  startupTimeoutMs: 5_000,
  catchUpTimeoutMs: 5_000,
};

type PublishClient = Redis & {
  tracklightPublish(key: string, ...args: (string | number)[]): Promise<string>;
  tracklightPublishOnce(key: string, seenKey: string, ...args: (string | number)[]): Promise<string>;
};

/** How long Redis remembers the id of a relayed log row: far longer than any relay retry takes. */
const RELAYED_KEY_TTL_SECONDS = 6 * 3600;

export function streamKey(prefix: string): string {
  return `${prefix}events`;
}

/**
 * The bus for several gateway instances: one Redis stream is the ordered log of the whole
 * deployment. XADD stamps the global id; every instance follows the stream and emits each entry
 * on `events$` in stream order, its own publishes included (they arrive through the stream
 * like everyone else's, so all instances see one order).
 *
 * While Redis is unreachable `publish` rejects with BusUnavailableError (HTTP 503) instead of
 * queueing: a queued event has no global id yet, and acknowledging it would promise delivery
 * this instance cannot guarantee if it dies before Redis returns.
 */
export class RedisEventBus extends EventBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisEventBus.name);
  private readonly subject = new Subject<BusEvent>();
  private readonly client: PublishClient;
  private readonly readerClient: Redis;
  private readonly reader: StreamReader;
  /** What this instance has emitted: serves most resumes in step with `events$`. */
  private history: EventHistory;
  private readonly gaps = new Subject<string>();
  private readonly key: string;
  private readonly options: RedisEventBusOptions;
  private stopped = false;

  readonly events$: Observable<BusEvent> = this.subject.asObservable();
  /**
   * Emits the newest trimmed id when this instance, cut off from Redis, came back to find
   * entries it never read already trimmed: its subscribers missed them.
   */
  readonly gaps$: Observable<string> = this.gaps.asObservable();

  constructor(
    private readonly config: AppConfig,
    private readonly healthService?: HealthService,
    options: Partial<RedisEventBusOptions> = {},
  ) {
    super();
    if (!config.redisUrl) throw new Error('RedisEventBus needs REDIS_URL');
    this.options = { ...DEFAULTS, ...options };
    this.key = streamKey(config.redisPrefix);
    this.history = new EventHistory(config.history);
    this.client = createRedisClient(config.redisUrl, 'bus') as PublishClient;
    this.client.defineCommand('tracklightPublish', { numberOfKeys: 1, lua: PUBLISH_SCRIPT });
    this.client.defineCommand('tracklightPublishOnce', { numberOfKeys: 2, lua: PUBLISH_ONCE_SCRIPT });
    this.readerClient = createRedisClient(config.redisUrl, 'bus-reader');
    this.reader = new StreamReader(
      this.readerClient,
      this.key,
      (entries) => this.deliver(entries),
      { blockMs: this.options.blockMs, batch: this.options.readBatch },
      (trimmedUpTo) => this.gapDetected(trimmedUpTo),
    );
  }

  async onModuleInit(): Promise<void> {
    this.healthService?.register('redis', () => this.health() === 'ok');
    await Promise.all([
      whenReady(this.client, this.options.startupTimeoutMs),
      this.reader.start(this.options.startupTimeoutMs),
    ]);
    if (this.health() !== 'ok') this.logger.warn('Redis is unreachable at startup: running degraded until it returns');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.reader.stop();
    this.client.disconnect();
    this.subject.complete();
    this.gaps.complete();
  }

  async publish<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]): Promise<BusEventOf<K>> {
    if (this.client.status !== 'ready') throw new BusUnavailableError();
    // Checked before it is written: every instance's reader would skip it, and the caller learn late.
    const event = publishedEvent({ id: '', topic, type, data, timestamp: '' });
    const { maxEvents, maxAgeMs } = this.config.history;
    let id: string;
    try {
      id = await this.client.tracklightPublish(
        this.key,
        maxEvents,
        maxAgeMs,
        this.options.trimBatch,
        topic,
        type,
        JSON.stringify(data),
      );
    } catch (err) {
      // The outcome is unknown when the connection dropped mid-call: the event may still show up
      // on the stream, but it is never reported as published without being written.
      this.logger.warn(`publish to Redis failed: ${(err as Error).message}`);
      throw new BusUnavailableError();
    }
    event.id = id;
    event.timestamp = new Date(parseEventId(id)?.[0] ?? Date.now()).toISOString();
    return event;
  }

  /**
   * One round trip for the batch (a pipeline keeps its order). A row relayed a second time (its
   * first relay died before `persist`) gets its first id back from Redis instead of a second
   * entry, so subscribers see it once. `persist` runs after Redis answered: the readers may
   * already deliver the events, which is safe because a retry cannot duplicate them.
   */
  override async publishLogged(rows: readonly LoggedEvent[], persist: PersistIds): Promise<BusEvent[]> {
    if (this.client.status !== 'ready') throw new BusUnavailableError();
    if (!rows.length) return [];
    // Decoded before anything is written: a row this version cannot decode stops the relay before
    // Redis holds it, not after, when a retry would find it there and fail again forever.
    const events = rows.map((row) =>
      requireBusEvent({ id: '', topic: row.topic, type: row.type, data: JSON.parse(row.data), timestamp: '' }),
    );
    const { maxEvents, maxAgeMs } = this.config.history;
    const pipeline = this.client.pipeline() as ReturnType<Redis['pipeline']> & {
      tracklightPublishOnce(key: string, seenKey: string, ...args: (string | number)[]): unknown;
    };
    for (const row of rows) {
      pipeline.tracklightPublishOnce(
        this.key,
        `${this.config.redisPrefix}relayed:${row.key}`,
        maxEvents,
        maxAgeMs,
        this.options.trimBatch,
        row.topic,
        row.type,
        row.data,
        RELAYED_KEY_TTL_SECONDS,
      );
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      this.logger.warn(`relay to Redis failed: ${(err as Error).message}`);
      throw new BusUnavailableError();
    }
    const ids: string[] = [];
    for (const [err, id] of results ?? []) {
      if (err || typeof id !== 'string') break;
      ids.push(id);
    }
    // Rows after a failed one stay unrelayed; the ones before keep their ids on the next try.
    await persist(ids);
    if (ids.length < rows.length) throw new BusUnavailableError();
    ids.forEach((id, i) => {
      events[i].id = id;
      events[i].timestamp = new Date(parseEventId(id)?.[0] ?? Date.now()).toISOString();
    });
    return events;
  }

  /**
   * Returns the retained events after `sinceId` up to the point `events$` has reached when the
   * promise resolves: everything later arrives on `events$`, nothing comes both ways.
   */
  async replay(topics: readonly string[], sinceId: string): Promise<ReplayResult> {
    if (!parseEventId(sinceId)) return { recovered: false, events: [] };
    const wanted = new Set(topics);
    const local = this.history.replay(wanted, sinceId);
    if (local.recovered) return local;
    if (this.client.status !== 'ready') throw new BusUnavailableError();
    try {
      const cursor = this.reader.cursor;
      if (!cursor || compareEventIds(sinceId, cursor) > 0) {
        // A `since` handed out by a faster instance: wait until this one has emitted it too.
        if (!(await this.exists(sinceId))) return { recovered: false, events: [] };
        if (!(await this.reader.reached(sinceId, this.options.catchUpTimeoutMs))) throw new BusUnavailableError();
        const caughtUp = this.history.replay(wanted, sinceId);
        if (caughtUp.recovered) return caughtUp;
      }
      return await this.replayFromRedis(wanted, sinceId);
    } catch (err) {
      if (err instanceof BusUnavailableError) throw err;
      this.logger.warn(`replay from Redis failed: ${(err as Error).message}`);
      throw new BusUnavailableError();
    }
  }

  lastEventId(): string | undefined {
    return this.reader.cursor;
  }

  health(): BusHealth {
    return this.client.status === 'ready' && this.readerClient.status === 'ready' ? 'ok' : 'degraded';
  }

  /** Memory must not bridge the gap: a resume from before it would silently skip the missing part. */
  private gapDetected(trimmedUpTo: string): void {
    this.logger.error(
      `events up to ${trimmedUpTo} were trimmed from Redis before this instance read them (it was cut off ` +
        'for longer than the retention): its clients missed them; resumes from before get recovered:false',
    );
    this.history = new EventHistory(this.config.history);
    this.gaps.next(trimmedUpTo);
  }

  private deliver(entries: RawStreamEntry[]): void {
    for (const entry of entries) {
      const event = decodeEntry(entry);
      if (!event) {
        this.logger.warn(`skipping malformed stream entry ${entry[0]}`);
        continue;
      }
      this.history.append(event);
      this.subject.next(event);
    }
  }

  private async exists(id: string): Promise<boolean> {
    const found = await this.client.xrange(this.key, id, id);
    return found.length > 0;
  }

  /**
   * Pages through the stream from `sinceId`. Each page is read together with a check that the
   * page's starting id is still retained: trimming only removes the oldest entries, so when the
   * start survives, nothing after it was trimmed and the pages join up without a gap.
   */
  private async replayFromRedis(wanted: ReadonlySet<string>, sinceId: string): Promise<ReplayResult> {
    const events: BusEvent[] = [];
    let from = sinceId;
    for (;;) {
      const res = await this.client
        .multi()
        .xrange(this.key, from, from)
        .xrange(this.key, `(${from}`, '+', 'COUNT', this.options.replayPage)
        .exec();
      if (!res || res[0][0] || res[1][0]) throw new Error('stream read failed');
      if (!(res[0][1] as RawStreamEntry[]).length) return { recovered: false, events: [] };
      const page = res[1][1] as RawStreamEntry[];
      for (const entry of page) {
        const event = decodeEntry(entry);
        if (event && wanted.has(event.topic)) events.push(event);
      }
      const end = page.length ? page[page.length - 1][0] : from;
      const cursor = this.reader.cursor;
      // Stop once the pages reach what events$ has emitted; later entries come live.
      if (!cursor || compareEventIds(end, cursor) >= 0) break;
      from = end;
    }
    const cursor = this.reader.cursor;
    if (!cursor) throw new BusUnavailableError();
    return { recovered: true, events: events.filter((e) => compareEventIds(e.id, cursor) <= 0) };
  }
}
