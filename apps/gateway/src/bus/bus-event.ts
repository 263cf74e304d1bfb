import {
  familyOf,
  TOPIC_EVENT_TYPES,
  type EventPayloads,
  type EventType,
  type TopicFamily,
} from '@tracklight/protocol';

/** One event of type K as stamped by the bus: `id` is unique and ordered within the deployment. */
export interface BusEventOf<K extends EventType> {
  id: string;
  topic: string;
  type: K;
  data: EventPayloads[K];
  /** ISO-8601 UTC, set when the event was published. */
  timestamp: string;
}

/** Any event, discriminated on `type`: checking `type` narrows `data`, so consumers need no cast. */
export type BusEvent = { [K in EventType]: BusEventOf<K> }[EventType];

/** An event's parts as a decoder reads them from storage, Redis or a frame: nothing typed yet. */
export interface EventParts {
  id: string;
  topic: string;
  type: string;
  data: unknown;
  timestamp: string;
}

const CARRIED: ReadonlyMap<TopicFamily, ReadonlySet<string>> = new Map(
  (Object.keys(TOPIC_EVENT_TYPES) as TopicFamily[]).map((f) => [f, new Set<string>(TOPIC_EVENT_TYPES[f])]),
);

/**
 * The one place an event enters the union: its type must be one its topic's family declares
 * (libs/protocol), and its data an object. The payload's fields are not validated again: every
 * event was built by a typed publish, and storage and Redis hand back its JSON text unchanged.
 * The parts object itself is returned, so a decoder pays for a family lookup and nothing else
 * (the topic's key was checked when it was published, hence `familyOf`, not `parseTopic`).
 */
export function toBusEvent(parts: EventParts): BusEvent | undefined {
  const family = familyOf(parts.topic);
  if (!family || !CARRIED.get(family)?.has(parts.type)) return undefined;
  if (typeof parts.data !== 'object' || parts.data === null) return undefined;
  return parts as BusEvent;
}

/**
 * The same check for an event that cannot be skipped: a relayed log row (skipping would lose it
 * silently; the row can only fail after a downgrade, and the relay retries until a version that
 * knows it runs) or a typed publish.
 */
export function requireBusEvent(parts: EventParts): BusEvent {
  const event = toBusEvent(parts);
  if (!event) throw new TypeError(`${parts.type} events do not travel on ${parts.topic}`);
  return event;
}

/**
 * A typed publish's event as a member of the union. The compiler already tied K to the topic;
 * the runtime check catches a caller that widened its way around it (a union K, a cast topic).
 */
export function publishedEvent<K extends EventType>(event: BusEventOf<K>): BusEventOf<K> & BusEvent {
  requireBusEvent(event);
  return event as BusEventOf<K> & BusEvent;
}

/** An event known to be of type K (the relay hands back the row a typed publish appended), checked. */
export function ofType<K extends EventType>(event: BusEvent, type: K): BusEventOf<K> {
  if (event.type !== type) throw new TypeError(`expected a ${type} event, got ${event.type}`);
  return event as BusEventOf<K>;
}
