import { orderedUuid } from './ordered-uuid.js';

describe('orderedUuid', () => {
  it('is a version 7, RFC 9562 variant UUID', () => {
    expect(orderedUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('sorts in creation order within one millisecond and across the counter overflow', () => {
    const ids = Array.from({ length: 5000 }, () => orderedUuid(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('carries the creation time in its first 48 bits', () => {
    const id = orderedUuid(Date.now() + 60_000);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(Math.abs(ms - (Date.now() + 60_000))).toBeLessThan(5_000);
  });
});
