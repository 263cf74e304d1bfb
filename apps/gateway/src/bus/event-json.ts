import type { BusEvent } from './event-bus.js';

/**
 * `JSON.stringify(event.data)`, computed once per event: the history and the fan-out frame it
 * (eventFrame) in the tick the bus emits the event, so one remembered event suffices. A bus that
 * already holds the text (a Redis entry, an event-log row) hands it over with rememberDataJson. (A WeakMap kept the text until the store wrote it,
 * 200 ms later: one ephemeron per event that every full collection had to trace.) A miss, say a
 * subscriber publishing in between, only costs a second stringify.
 */
let lastEvent: BusEvent | undefined;
let lastJson = '';

export function dataJson(event: BusEvent): string {
  if (event !== lastEvent) {
    lastJson = JSON.stringify(event.data);
    lastEvent = event;
  }
  return lastJson;
}

/** The payload text the event was decoded from or logged as: its frame reuses it. */
export function rememberDataJson(event: BusEvent, json: string): void {
  lastEvent = event;
  lastJson = json;
}

/**
 * The JSON text of an event frame (docs/PROTOCOL.md section 3: type, topic, id, data, timestamp), the
 * same bytes as `JSON.stringify` of that object. The payload's text comes from dataJson(). The id
 * needs no escaping: every bus assigns or checks it as `<digits>-<digits>` (event-id.ts).
 */
export function eventJson(event: BusEvent): string {
  return (
    `{"type":${JSON.stringify(event.type)},"topic":${JSON.stringify(event.topic)},` +
    `"id":"${event.id}","data":${dataJson(event)},"timestamp":${JSON.stringify(event.timestamp)}}`
  );
}
