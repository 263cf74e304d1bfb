import { familyOf, TOPIC_EVENT_TYPES } from '@tracklight/protocol';
import { requireBusEvent, type BusEvent } from './bus-event.js';
import { EventHistory } from './event-history.js';
import { BLOCK_BYTES, BLOCK_EVENTS } from './history-block.js';

/** An event of the first type its topic's family declares: replay checks that pairing. */
const ev = (id: string, topic = 'anomalies', data: object = {}): BusEvent =>
  requireBusEvent({ id, topic, type: TOPIC_EVENT_TYPES[familyOf(topic)!][0], data, timestamp: '' });
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

  it('stays correct as whole blocks are trimmed', () => {
    const h = new EventHistory({ maxEvents: 10, maxAgeMs: 0 });
    const count = BLOCK_EVENTS * 3 + 5;
    for (let i = 1; i <= count; i++) h.append(ev(`${i}-0`), i);
    expect(h.size).toBe(10);
    expect(h.oldestId()).toBe(`${count - 9}-0`);
    expect(ids(h.replay(new Set(['anomalies']), `${count - 5}-0`).events)).toEqual(
      [4, 3, 2, 1, 0].map((back) => `${count - back}-0`),
    );
  });

  it('replays what was published, not what the publisher did to its object afterwards', () => {
    const h = new EventHistory({ maxEvents: 10, maxAgeMs: 60_000 });
    const data = { anomalyId: 'a1', severity: 'high', nested: { note: 'é "quoted" \u2028' } };
    const published = ev('1-0', 'anomalies', data);
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

  it('replays across block boundaries, by topic, from any retained id', () => {
    const h = new EventHistory({ maxEvents: 1_000_000, maxAgeMs: 60_000 });
    const count = BLOCK_EVENTS * 2 + 10;
    for (let i = 0; i < count; i++) h.append(ev(`${1000 + i}-${i % 3}`, `package:P${i % 7}`), 0);
    expect(h.size).toBe(count);
    // the last event of the first block: the replay starts at the second block's first event
    const lastOfFirst = BLOCK_EVENTS - 1;
    const all = h.replay(
      new Set(Array.from({ length: 7 }, (_, t) => `package:P${t}`)),
      `${1000 + lastOfFirst}-${lastOfFirst % 3}`,
    );
    expect(all.recovered).toBe(true);
    expect(all.events).toHaveLength(count - BLOCK_EVENTS);
    expect(all.events[0].id).toBe(`${1000 + BLOCK_EVENTS}-${BLOCK_EVENTS % 3}`);
    const one = h.replay(new Set(['package:P3']), '1000-0');
    const expected = Array.from({ length: count }, (_, i) => i).filter((i) => i > 0 && i % 7 === 3);
    expect(ids(one.events)).toEqual(expected.map((i) => `${1000 + i}-${i % 3}`));
    expect(h.replay(new Set(['package:none']), '1000-0')).toEqual({ recovered: true, events: [] });
  });

  it('keeps frames bigger than a block whole, and trims whole blocks away', () => {
    const h = new EventHistory({ maxEvents: 2, maxAgeMs: 0 });
    const big = 'x'.repeat(BLOCK_BYTES + 10);
    const withData = (id: string, note: string) => ev(id, 'anomalies', { note });
    h.append(withData('1-0', 'small'), 1);
    h.append(withData('2-0', big), 2);
    h.append(withData('3-0', 'after'), 3);
    expect(h.size).toBe(2);
    expect(h.oldestId()).toBe('2-0');
    expect(h.replay(new Set(['anomalies']), '1-0').recovered).toBe(false);
    const [replayed] = h.replay(new Set(['anomalies']), '2-0').events;
    expect(replayed).toEqual(withData('3-0', 'after'));
    expect(h.replay(new Set(['anomalies']), '0-0').recovered).toBe(false);
  });

  it('does not resume from an id trimmed off the start of a block it still holds', () => {
    const h = new EventHistory({ maxEvents: 3, maxAgeMs: 0 });
    for (let i = 1; i <= 10; i++) h.append(ev(`${i}-0`), i);
    expect(h.oldestId()).toBe('8-0');
    expect(h.replay(new Set(['anomalies']), '7-0').recovered).toBe(false);
    expect(ids(h.replay(new Set(['anomalies']), '8-0').events)).toEqual(['9-0', '10-0']);
  });
});
