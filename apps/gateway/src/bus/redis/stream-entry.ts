import { toBusEvent, type BusEvent } from '../bus-event.js';
import { rememberDataJson } from '../event-json.js';
import { parseEventId } from '../event-id.js';

/**
 * An entry as ioredis returns it from XRANGE/XREAD: id and a flat field/value list. PUBLISH_SCRIPT
 * writes `t` (topic), `y` (event type) and `d` (payload as JSON).
 */
export type RawStreamEntry = [id: string, fields: string[]];

/**
 * The event of a stream entry. Its timestamp is the millisecond part of the id, set by Redis'
 * clock, so timestamps never go backwards along the stream whichever instance published.
 */
export function decodeEntry([id, fields]: RawStreamEntry): BusEvent | undefined {
  const parsed = parseEventId(id);
  if (!parsed) return undefined;
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  const topic = map.get('t');
  const type = map.get('y');
  const json = map.get('d');
  if (!topic || !type || json === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  const event = toBusEvent({ id, topic, type, data, timestamp: new Date(parsed[0]).toISOString() });
  if (!event) return undefined;
  // The payload text is JSON.stringify's output at publish: the frame and the store can reuse it.
  rememberDataJson(event, json);
  return event;
}
