import { FixedWindowLimiter } from './fixed-window-limiter.js';

describe('FixedWindowLimiter', () => {
  it('allows the limit per key and window, then tells the wait until the window ends', () => {
    const l = new FixedWindowLimiter(2, 1000);
    expect([l.hit('a', 0), l.hit('a', 100), l.hit('a', 400), l.hit('b', 400)]).toEqual([0, 0, 600, 0]);
    expect(l.hit('a', 1000)).toBe(0);
  });

  it('forgets expired windows, so memory follows the active keys', () => {
    const l = new FixedWindowLimiter(1, 1000);
    for (let i = 0; i < 100; i++) l.hit(`k${i}`, 0);
    expect(l.size).toBe(100);
    l.hit('late', 5000);
    expect(l.size).toBe(1);
  });
});
