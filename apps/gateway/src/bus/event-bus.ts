import type { Observable } from 'rxjs';
import type { EventPayloads, EventType, Topic } from '@tracklight/protocol';

/** An event as stamped by the bus: `id` is unique and ordered within the deployment. */
export interface BusEvent<K extends EventType = EventType> {
  id: string;
  topic: string;
  type: K;
  data: EventPayloads[K];
  /** ISO-8601 UTC, set when the event was published. */
  timestamp: string;
}

export interface ReplayResult {
  /** False when `sinceId` is unknown or older than what is retained: the caller must send snapshots. */
  recovered: boolean;
  events: BusEvent[];
}

export type BusHealth = 'ok' | 'degraded';

/**
 * The seam between feature modules and the gateway. Modules publish; the gateway holds one
 * subscription to `events$`. The in-process implementation is the default; a Redis-backed one
 * replaces it with REDIS_URL without publishers or the gateway noticing.
 */
export abstract class EventBus {
  /** Every published event, in publish order, on this instance. */
  abstract readonly events$: Observable<BusEvent>;

  abstract publish<K extends EventType>(topic: Topic, type: K, data: EventPayloads[K]): Promise<BusEvent<K>>;

  /** Retained events of `topics` published after `sinceId`, in publish order. */
  abstract replay(topics: readonly string[], sinceId: string): Promise<ReplayResult>;

  /** The id of the newest event this instance has seen, if any. */
  abstract lastEventId(): string | undefined;

  abstract health(): BusHealth;
}
