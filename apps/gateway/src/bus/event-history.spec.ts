import type { BusEvent } from './event-bus.js';
import { EventHistory } from './event-history.js';

const ev = (id: string, topic = 'anomalies'): BusEvent =>
  ({ id, topic, type: 'anomaly_detected', data: {}, timestamp: '' }) as unknown as BusEvent;
const ids = (events: BusEvent[]) => events.map((e) => e.id);

describe('EventHistory', () => {
  it('replays the events of the asked topics after an id, in order', () => {
    const h = new EventHistory({ maxEvents: 100, maxAgeMs: 60_000 });
    ['1-0', '1-1', '2-0', '3-0', '10-0'].forEach((id, i) => h.append(ev(id, i % 2 ? 'map_updates' : 'anomalies'), 0));
    expect(h.replay(new Set(['anomalies']), '1-0')).toEqual({ recovered: true, events: [ev('2-0'), ev('10-0')] });
    expect(ids(h.replay(new Set(['anomalies', 'map_updates']), '1-1').events)).toEqual(['2-0', '3-0', '10-0']);
    expect(h.replay(new Set(['anomalies']), '10-0')).toEqual({ recovered: true, events: [] });
  });

  it('is not recovered for an id it never held, or a malformed one', () => {
    const h = new EventHistory({ maxEvents: 100, maxAgeMs: 60_000 });
    h.append(ev('5-0'), 0);
    h.append(ev('7-0'), 0);
    for (const since of ['6-0', '4-0', '8-0', 'nope', '']) {
      expect(h.replay(new Set(['anomalies']), since)).toEqual({ recovered: false, events: [] });
    }
  });

  it('keeps the last maxEvents when older ones are also past maxAge ("whichever holds more")', () => {
    const h = new EventHistory({ maxEvents: 3, maxAgeMs: 1000 });
    for (let i = 1; i <= 6; i++) h.append(ev(`${i}-0`), 0);
    // All six are young: nothing is dropped by count alone.
    expect(h.size).toBe(6);
    h.append(ev('7-0'), 5000);
    // Now the old ones are past maxAge and beyond the count: only the last three remain.
    expect(h.size).toBe(3);
    expect(h.oldestId()).toBe('5-0');
    expect(h.replay(new Set(['anomalies']), '4-0').recovered).toBe(false);
    expect(ids(h.replay(new Set(['anomalies']), '5-0').events)).toEqual(['6-0', '7-0']);
  });

  it('keeps everything younger than maxAge even beyond maxEvents', () => {
    const h = new EventHistory({ maxEvents: 2, maxAgeMs: 10_000 });
    for (let i = 1; i <= 50; i++) h.append(ev(`${i}-0`), i);
    expect(h.size).toBe(50);
    expect(ids(h.replay(new Set(['anomalies']), '1-0').events)).toHaveLength(49);
  });

  it('stays correct across its internal compaction', () => {
    const h = new EventHistory({ maxEvents: 10, maxAgeMs: 0 });
    for (let i = 1; i <= 5000; i++) h.append(ev(`${i}-0`), i);
    expect(h.size).toBe(10);
    expect(h.oldestId()).toBe('4991-0');
    expect(ids(h.replay(new Set(['anomalies']), '4995-0').events)).toEqual([
      '4996-0',
      '4997-0',
      '4998-0',
      '4999-0',
      '5000-0',
    ]);
  });

  it('replays what was published, not what the publisher did to its object afterwards', () => {
    const h = new EventHistory({ maxEvents: 10, maxAgeMs: 60_000 });
    const data = { anomalyId: 'a1', severity: 'high', nested: { note: 'é "quoted" \u2028' } };
    const published = { ...ev('1-0'), data } as unknown as BusEvent;
    h.append(ev('0-1'), 0);
    h.append(published, 0);
    data.severity = 'low';
    data.nested.note = 'changed';
    const [replayed] = h.replay(new Set(['anomalies']), '0-1').events;
    expect(replayed).toEqual({
      ...published,
      data: { anomalyId: 'a1', severity: 'high', nested: { note: 'é "quoted" \u2028' } },
    });
    expect(replayed).not.toBe(published);
  });
});
