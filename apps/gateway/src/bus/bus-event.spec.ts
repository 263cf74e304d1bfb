import { ofType, publishedEvent, requireBusEvent, toBusEvent, type EventParts } from './bus-event.js';

const parts = (topic: string, type: string, data: unknown = { notificationId: 'n1' }): EventParts => ({
  id: '1-0',
  topic,
  type,
  data,
  timestamp: '2026-01-01T00:00:00.000Z',
});

describe('toBusEvent', () => {
  it('accepts a type its topic family declares and returns the parts object itself', () => {
    const p = parts('notifications', 'notification');
    expect(toBusEvent(p)).toBe(p);
    expect(toBusEvent(parts('package:TN1', 'package_update', {}))).toBeDefined();
  });

  it('rejects a type the family does not carry, an unknown topic, an unknown type and non-object data', () => {
    expect(toBusEvent(parts('anomalies', 'notification'))).toBeUndefined();
    expect(toBusEvent(parts('nope', 'notification'))).toBeUndefined();
    expect(toBusEvent(parts('notifications', 'no_such_type'))).toBeUndefined();
    expect(toBusEvent(parts('notifications', 'notification', null))).toBeUndefined();
    expect(toBusEvent(parts('notifications', 'notification', '{}'))).toBeUndefined();
  });

  it('requireBusEvent and publishedEvent throw where toBusEvent answers undefined', () => {
    expect(() => requireBusEvent(parts('anomalies', 'notification'))).toThrow(
      /notification events do not travel on anomalies/,
    );
    const forged = parts('anomalies', 'notification') as Parameters<typeof publishedEvent<'notification'>>[0];
    expect(() => publishedEvent(forged)).toThrow(TypeError);
  });

  it('ofType narrows a checked event and refuses another type', () => {
    const event = requireBusEvent(parts('notifications', 'notification'));
    expect(ofType(event, 'notification').data.notificationId).toBe('n1');
    expect(() => ofType(event, 'anomaly_detected')).toThrow(/expected a anomaly_detected event/);
  });
});
