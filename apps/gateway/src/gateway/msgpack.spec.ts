import { unpack } from 'msgpackr';
import type { BusEvent } from '../bus/event-bus.js';
import { framePayload } from '../bus/event-frame.js';
import { eventJson } from '../bus/event-json.js';
import { eventPackedFrame, packJsonValue, unpackValue } from './msgpack.js';

const event = (id: string, data: Record<string, unknown>): BusEvent =>
  ({ id, topic: 'anomalies', type: 'anomaly_detected', data, timestamp: '2026-01-01T00:00:00.000Z' }) as BusEvent;

describe('msgpack', () => {
  it('frames an event as a binary frame holding the object of its JSON, once per event', () => {
    const e = event('7-1', { anomalyId: 'a', score: 0.5, at: new Date('2026-02-03T04:05:06.000Z'), gone: undefined });
    const frame = eventPackedFrame(e);
    expect(frame[0]).toBe(0x82);
    expect(unpack(framePayload(frame))).toEqual(JSON.parse(eventJson(e)));
    // Dates become the ISO string JSON gives them; undefined fields are dropped as in JSON.
    expect((unpack(framePayload(frame)) as { data: object }).data).toEqual({
      anomalyId: 'a',
      score: 0.5,
      at: '2026-02-03T04:05:06.000Z',
    });
    expect(eventPackedFrame(e)).toBe(frame);
    expect(eventPackedFrame(event('7-2', {}))).not.toBe(frame);
  });

  it('uses plain maps, readable by any MessagePack library (no msgpackr records)', () => {
    const bytes = packJsonValue('{"type":"pong","data":{}}');
    expect(bytes[0] & 0xf0).toBe(0x80); // fixmap
    expect(unpackValue(bytes)).toEqual({ type: 'pong', data: {} });
  });

  it('returns a copy, not a view of msgpackr’s reused buffer', () => {
    const a = packJsonValue('{"a":1}');
    const copy = Buffer.from(a);
    packJsonValue('{"b":2222222}');
    expect(a.equals(copy)).toBe(true);
  });
});
