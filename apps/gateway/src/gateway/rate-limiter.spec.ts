import { TokenBucket } from './rate-limiter.js';
import { HandshakeLimiter } from './handshake-limiter.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the steady rate', () => {
    const bucket = new TokenBucket(50, 100, 0);
    let allowed = 0;
    for (let i = 0; i < 150; i++) if (bucket.take(0)) allowed++;
    expect(allowed).toBe(100);
    expect(bucket.take(0)).toBe(false);
    expect(bucket.take(19)).toBe(false); // 0.95 token after 19 ms at 50/s
    expect(bucket.take(20)).toBe(true); // one token after 20 ms
    expect(bucket.take(20)).toBe(false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const bucket = new TokenBucket(50, 3, 0);
    let allowed = 0;
    for (let i = 0; i < 10; i++) if (bucket.take(3_600_000)) allowed++;
    expect(allowed).toBe(3);
  });

  it('sustains exactly the steady rate over time', () => {
    const bucket = new TokenBucket(10, 1, 0);
    let allowed = 0;
    for (let ms = 0; ms <= 10_000; ms += 10) if (bucket.take(ms)) allowed++;
    expect(allowed).toBe(101);
  });

  it('a clock stepping back does not mint tokens', () => {
    const bucket = new TokenBucket(1, 1, 1000);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(0)).toBe(false);
  });
});

describe('HandshakeLimiter', () => {
  it('counts per address within one-second windows', () => {
    const limiter = new HandshakeLimiter(2);
    expect([limiter.allow('a', 1000), limiter.allow('a', 1500), limiter.allow('a', 1999)]).toEqual([true, true, false]);
    expect(limiter.allow('b', 1999)).toBe(true);
    expect(limiter.allow('a', 2000)).toBe(true);
  });
});
