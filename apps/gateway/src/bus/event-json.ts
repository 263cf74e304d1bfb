import type { BusEvent } from './event-bus.js';
import { isDurableTopic } from './durable/durable-topics.js';

/**
 * `JSON.stringify(event.data)`, computed at most once per event for the events read twice: the
 * fan-out frames every event, and the durable store writes durable-topic events again up to
 * 200 ms later. Only those are cached (weakly, so the cache lives exactly as long as the event);
 * other events skip the WeakMap entirely. Events are immutable once published, so the cached
 * text cannot go stale.
 */
const cache = new WeakMap<BusEvent, string>();

export function dataJson(event: BusEvent): string {
  let json = cache.get(event);
  if (json === undefined) {
    json = JSON.stringify(event.data);
    if (isDurableTopic(event.topic)) cache.set(event, json);
  }
  return json;
}

/** Seeds the cache with the payload text the event was decoded from (Redis), saving a stringify. */
export function rememberDataJson(event: BusEvent, json: string): void {
  if (isDurableTopic(event.topic)) cache.set(event, json);
}

/**
 * The JSON text of an event frame (PROTOCOL.md section 3: type, topic, id, data, timestamp), the
 * same bytes as `JSON.stringify` of that object. The payload's text comes from dataJson(), so a
 * durable event's payload is serialised once for both the frame and the durable store. The id
 * needs no escaping: every bus assigns or checks it as `<digits>-<digits>` (event-id.ts).
 */
export function eventJson(event: BusEvent): string {
  return (
    `{"type":${JSON.stringify(event.type)},"topic":${JSON.stringify(event.topic)},` +
    `"id":"${event.id}","data":${dataJson(event)},"timestamp":${JSON.stringify(event.timestamp)}}`
  );
}
