import { compareEventIds, isEventId, parseEventId } from './event-id.js';

describe('event ids', () => {
  it('orders by milliseconds, then by sequence, numerically', () => {
    const ids = ['10-2', '9-5', '10-10', '100-0', '10-0'];
    expect([...ids].sort(compareEventIds)).toEqual(['9-5', '10-0', '10-2', '10-10', '100-0']);
    expect(compareEventIds('5-1', '5-1')).toBe(0);
  });

  it('sorts malformed ids before every valid id, without throwing', () => {
    expect(compareEventIds('x', '0-0')).toBeLessThan(0);
    expect(compareEventIds('0-0', '1-')).toBeGreaterThan(0);
    expect(compareEventIds('x', 'y')).toBe(0);
    expect(['2-0', 'bad', '1-0', ''].sort(compareEventIds)).toEqual(['bad', '', '1-0', '2-0']);
  });

  it('recognises and parses well-formed ids only', () => {
    expect(isEventId('1700000000000-3')).toBe(true);
    expect(parseEventId('1700000000000-3')).toEqual([1700000000000, 3]);
    for (const bad of ['', 'abc', '1', '1-', '-1', 'a-1', '1-2-3', '1.5-0', ' 1-0', `${'1'.repeat(17)}-0`]) {
      expect(isEventId(bad)).toBe(false);
      expect(parseEventId(bad)).toBeUndefined();
    }
  });
});
