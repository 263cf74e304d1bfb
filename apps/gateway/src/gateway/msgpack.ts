import { Packr, Unpackr } from 'msgpackr';
import type { BusEvent } from '../bus/event-bus.js';
import { binaryFrame } from '../bus/event-frame.js';
import { dataJson } from '../bus/event-json.js';

// Plain MessagePack maps (no msgpackr records), so any MessagePack library reads the frames, at
// their smallest size (fixmap for up to 15 keys) rather than msgpackr's default map16.
const packr = new Packr({ useRecords: false, variableMapSize: true });
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/**
 * The MessagePack encoding of the object a JSON client gets for the same frame. The value goes
 * through JSON first so that what JSON would turn into a string (a Date, a toJSON) or drop
 * (undefined) is the same here. msgpackr reuses its output buffer: the result is a copy.
 */
export function packJsonValue(json: string): Buffer {
  return Buffer.from(packr.pack(JSON.parse(json)));
}

/** A client's binary frame; throws on bytes that are not one MessagePack value. */
export function unpackValue(data: Buffer): unknown {
  return unpackr.unpack(data);
}

let lastEvent: BusEvent | undefined;
let lastFrame: Buffer | undefined;

/**
 * The event's binary WebSocket frame, built once per event like eventFrame (one-entry memo): the
 * fan-out asks for it at the first MessagePack subscriber and every other one gets the same Buffer.
 * Field order and values are those of eventJson.
 */
export function eventPackedFrame(event: BusEvent): Buffer {
  if (event === lastEvent && lastFrame) return lastFrame;
  const object = {
    type: event.type,
    topic: event.topic,
    id: event.id,
    data: JSON.parse(dataJson(event)) as unknown,
    timestamp: event.timestamp,
  };
  const frame = binaryFrame(packr.pack(object));
  lastEvent = event;
  lastFrame = frame;
  return frame;
}
