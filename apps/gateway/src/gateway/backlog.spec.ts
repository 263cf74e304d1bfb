import type { BusEvent } from '../bus/event-bus.js';
import { Backlog } from './backlog.js';

let seq = 0;
const event = (topic: string, type: string, data: object): BusEvent =>
  ({ id: `1-${seq++}`, topic, type, data, timestamp: '2026-01-01T00:00:00.000Z' }) as BusEvent;
const frame = (e: BusEvent): Buffer => Buffer.from(e.id);
const drain = (b: Backlog): string[] => {
  const out: string[] = [];
  for (let q = b.shift(); q; q = b.shift()) out.push(q.frame.toString());
  return out;
};

describe('Backlog', () => {
  it('keeps the newest map_update per package and the newest dashboard_metrics, in id order', () => {
    const b = new Backlog();
    const m1 = event('map_updates', 'map_update', { packageId: 'A' });
    const m2 = event('map_updates', 'map_update', { packageId: 'B' });
    const d1 = event('dashboard_metrics', 'dashboard_metrics', {});
    const m3 = event('map_updates', 'map_update', { packageId: 'A' });
    const d2 = event('dashboard_metrics', 'dashboard_metrics', {});
    expect([m1, m2, d1, m3, d2].map((e) => b.pushEvent(e, frame(e)))).toEqual([false, false, false, true, true]);
    expect(drain(b)).toEqual([m2.id, m3.id, d2.id]);
    expect(b.bytes).toBe(0);
  });

  it('never conflates other events, replies, or map updates without a package id', () => {
    const b = new Backlog();
    const a1 = event('anomalies', 'anomaly_detected', { packageId: 'A' });
    const a2 = event('anomalies', 'anomaly_detected', { packageId: 'A' });
    const p1 = event('package_updates', 'package_update', { packageId: 'A' });
    const odd = event('map_updates', 'map_update', {});
    for (const e of [a1, a2, p1, odd, odd]) expect(b.pushEvent(e, frame(e))).toBe(false);
    b.pushReply(Buffer.from('reply'));
    expect(b.size).toBe(6);
    expect(drain(b)).toEqual([a1.id, a2.id, p1.id, odd.id, odd.id, 'reply']);
  });

  it('counts the bytes it holds, replaced frames excluded', () => {
    const b = new Backlog();
    b.pushEvent(event('map_updates', 'map_update', { packageId: 'A' }), Buffer.alloc(100));
    b.pushEvent(event('map_updates', 'map_update', { packageId: 'A' }), Buffer.alloc(30));
    b.pushReply(Buffer.alloc(7));
    expect(b.bytes).toBe(37);
  });
});
