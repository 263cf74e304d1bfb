import { compareEventIds, isEventId } from '@tracklight/protocol';

describe('compareEventIds', () => {
  it('orders by milliseconds, then by sequence, numerically', () => {
    const ids = ['10-2', '9-5', '10-10', '100-0', '10-0'];
    expect([...ids].sort(compareEventIds)).toEqual(['9-5', '10-0', '10-2', '10-10', '100-0']);
    expect(compareEventIds('5-1', '5-1')).toBe(0);
  });

  it('recognises well-formed ids only', () => {
    expect(isEventId('1700000000000-3')).toBe(true);
    expect(isEventId('abc')).toBe(false);
    expect(isEventId('1-')).toBe(false);
  });
});
