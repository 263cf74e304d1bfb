import type { BusEvent } from '../../bus/event-bus.js';
import { eventJson } from '../../bus/event-json.js';

/**
 * One Server-Sent Events message (docs/PROTOCOL.md section 5): `id` only for bus events, so a
 * reconnecting EventSource sends the last event's id as Last-Event-ID. `data` is one line: JSON
 * text never holds a raw line break.
 */
export function sseMessage(event: string, data: string, id?: string): Buffer {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`, 'utf8');
}

/** The comment line that keeps proxies from closing an idle stream. */
export const KEEP_ALIVE = Buffer.from(': keep-alive\n\n', 'utf8');

let lastEvent: BusEvent | undefined;
let lastMessage: Buffer | undefined;

/**
 * The event as an SSE message holding the same JSON object a WebSocket client gets, built once
 * per event (one-entry memo, as eventFrame): every SSE subscriber is written the same Buffer.
 */
export function eventSseMessage(event: BusEvent): Buffer {
  if (event === lastEvent && lastMessage) return lastMessage;
  const message = sseMessage(event.type, eventJson(event), event.id);
  lastEvent = event;
  lastMessage = message;
  return message;
}
