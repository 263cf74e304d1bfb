import { compareEventIds, EventIdGenerator, eventIdParts, parseEventId } from './event-id.js';

describe('event ids', () => {
  it('parses <ms>-<seq> only', () => {
    expect(parseEventId('1700000000000-3')).toEqual([1700000000000, 3]);
    for (const bad of ['', '1', '1-', '-1', 'a-1', '1-2-3', '1.5-0', ' 1-0']) expect(parseEventId(bad)).toBeUndefined();
    expect(eventIdParts('1700000000000-3')).toEqual([1700000000000, 3]);
  });

  it('orders numerically, not lexically', () => {
    expect(compareEventIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareEventIds('10-10', '10-9')).toBeGreaterThan(0);
    expect(compareEventIds('10-1', '10-1')).toBe(0);
    expect(compareEventIds('x', '1-0')).toBeLessThan(0); // the protocol's rule: malformed first
  });

  it('generates strictly increasing ids within one millisecond and when the clock steps back', () => {
    const gen = new EventIdGenerator();
    const ids = [gen.next(100), gen.next(100), gen.next(100), gen.next(99), gen.next(101)];
    expect(ids).toEqual(['100-0', '100-1', '100-2', '100-3', '101-0']);
    for (let i = 1; i < ids.length; i++) expect(compareEventIds(ids[i - 1], ids[i])).toBeLessThan(0);
  });
});
