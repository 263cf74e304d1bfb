import type { Observable } from 'rxjs';
import type { EventPayloads, EventType, EventTypeOf, Topic } from '@tracklight/protocol';
import { publishedEvent, type BusEvent, type BusEventOf } from './bus-event.js';

export type { BusEvent, BusEventOf } from './bus-event.js';

export interface ReplayResult {
  /** False when `sinceId` is unknown or older than what is retained: the caller must send snapshots. */
  recovered: boolean;
  events: BusEvent[];
}

export type BusHealth = 'ok' | 'degraded';

/** A committed row of the event log to put on the bus; `key` is its stable identity. */
export interface LoggedEvent {
  key: string;
  topic: string;
  type: EventType;
  /** The payload's JSON text. */
  data: string;
  /** The payload itself, when the caller still holds it: spares the bus a parse of `data`. */
  value?: EventPayloads[EventType];
}

/** Records the bus ids of relayed rows (in the event log) before the relay counts them as done. */
export type PersistIds = (ids: readonly string[]) => Promise<void>;

/**
 * The seam between feature modules and the gateway. Modules publish; the gateway holds one
 * subscription to `events$`. The in-process implementation is the default; a Redis-backed one
 * replaces it with REDIS_URL without publishers or the gateway noticing.
 */
export abstract class EventBus {
  /** Every published event, in publish order, on this instance. */
  abstract readonly events$: Observable<BusEvent>;

  /** The type must be one the topic's family declares (libs/protocol), and the data its payload. */
  abstract publish<T extends Topic, K extends EventTypeOf<T>>(
    topic: T,
    type: K,
    data: EventPayloads[K],
  ): Promise<BusEventOf<K>>;

  /**
   * Publishes committed event-log rows in order, each once as subscribers see it, and hands their
   * ids to `persist`. The relay may call it again for rows whose `persist` never completed (a
   * crash): a bus that can see the event twice must recognise it by `key` and return the id it
   * already gave it. This default suits a bus that loses everything in a crash anyway.
   */
  async publishLogged(rows: readonly LoggedEvent[], persist: PersistIds): Promise<BusEvent[]> {
    const events: BusEvent[] = [];
    for (const row of rows) {
      const data = row.value ?? (JSON.parse(row.data) as EventPayloads[EventType]);
      events.push(publishedEvent(await this.publish(row.topic as Topic, row.type, data)));
    }
    await persist(events.map((e) => e.id));
    return events;
  }

  /** Retained events of `topics` published after `sinceId`, in publish order. */
  abstract replay(topics: readonly string[], sinceId: string): Promise<ReplayResult>;

  /** The id of the newest event this instance has seen, if any. */
  abstract lastEventId(): string | undefined;

  abstract health(): BusHealth;
}
