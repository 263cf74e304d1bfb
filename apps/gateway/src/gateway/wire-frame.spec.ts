import { createRequire } from 'node:module';
import { frameText } from '../bus/event-frame.js';
import { eventFrame, eventJson, textFrame } from './wire-frame.js';

// ws's own framer, to check our pre-built frames byte for byte (not part of @types/ws).
const { Sender } = createRequire(import.meta.url)('ws');

function wsFrame(text: string): Buffer {
  const parts: (Buffer | string)[] = Sender.frame(Buffer.from(text), {
    fin: true,
    opcode: 1,
    mask: false,
    readOnly: true,
    rsv1: false,
  });
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 70_000])('matches ws for a %i-byte payload', (n) => {
    const text = 'a'.repeat(n);
    expect(textFrame(text).equals(wsFrame(text))).toBe(true);
  });

  it('measures multi-byte UTF-8 in bytes, not characters', () => {
    const text = 'é☃😀'.repeat(50);
    expect(textFrame(text).equals(wsFrame(text))).toBe(true);
  });
});

describe('eventJson', () => {
  it('carries type, topic, id, data and timestamp', () => {
    const json = eventJson({
      id: '1-0',
      topic: 'notifications',
      type: 'notification',
      data: { notificationId: 'n', level: 'info', title: 't', message: 'm' },
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    expect(JSON.parse(json)).toEqual({
      type: 'notification',
      topic: 'notifications',
      id: '1-0',
      data: { notificationId: 'n', level: 'info', title: 't', message: 'm' },
      timestamp: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('frameText and eventFrame', () => {
  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 70_000])('reads back a %i-byte text from its frame', (n) => {
    const text = 'é'.repeat(Math.floor(n / 2)) + 'a'.repeat(n % 2);
    expect(frameText(textFrame(text))).toBe(text);
  });

  it('frames an event as the text of eventJson, once per event', () => {
    const event = {
      id: '7-1',
      topic: 'anomalies',
      type: 'anomaly_detected',
      data: { anomalyId: 'a', severity: 'high' },
      timestamp: '2026-01-01T00:00:00.000Z',
    } as unknown as Parameters<typeof eventJson>[0];
    const frame = eventFrame(event);
    expect(frameText(frame)).toBe(eventJson(event));
    expect(eventFrame(event)).toBe(frame);
    const other = { ...event, id: '7-2' };
    expect(frameText(eventFrame(other))).toBe(eventJson(other));
  });
});
