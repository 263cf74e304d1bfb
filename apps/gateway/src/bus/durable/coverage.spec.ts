import { covers } from './coverage.js';

describe('covers', () => {
  it('accepts one segment spanning the range, endpoints included', () => {
    expect(covers([{ start: '100-0', end: '200-0' }], '100-0', '200-0')).toBe(true);
    expect(covers([{ start: '100-0', end: '200-0' }], '150-3', '199-9')).toBe(true);
  });

  it('refuses a range starting before the first segment or ending after the last', () => {
    expect(covers([{ start: '100-0', end: '200-0' }], '99-9', '150-0')).toBe(false);
    expect(covers([{ start: '100-0', end: '200-0' }], '150-0', '200-1')).toBe(false);
    expect(covers([], '1-0', '2-0')).toBe(false);
  });

  it('chains overlapping and touching segments of several instances', () => {
    const segments = [
      { start: '300-0', end: '400-0' },
      { start: '100-0', end: '200-0' },
      { start: '200-0', end: '320-5' },
    ];
    expect(covers(segments, '150-0', '400-0')).toBe(true);
  });

  it('finds the hole a crashed recorder left before the next run began', () => {
    const segments = [
      { start: '100-0', end: '200-0' },
      { start: '250-0', end: '400-0' },
    ];
    expect(covers(segments, '150-0', '400-0')).toBe(false);
    expect(covers(segments, '250-0', '400-0')).toBe(true);
  });
});
