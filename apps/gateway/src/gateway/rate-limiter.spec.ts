import { RateLimit, type BucketState } from './rate-limiter.js';
import { HandshakeLimiter } from './handshake-limiter.js';

function full(limit: RateLimit, now: number): BucketState {
  const bucket = { tokens: 0, tokensAt: 0 };
  limit.fill(bucket, now);
  return bucket;
}

describe('RateLimit', () => {
  it('allows a burst, then refills at the steady rate', () => {
    const limit = new RateLimit(50, 100);
    const bucket = full(limit, 0);
    let allowed = 0;
    for (let i = 0; i < 150; i++) if (limit.take(bucket, 0)) allowed++;
    expect(allowed).toBe(100);
    expect(limit.take(bucket, 0)).toBe(false);
    expect(limit.take(bucket, 19)).toBe(false); // 0.95 token after 19 ms at 50/s
    expect(limit.take(bucket, 20)).toBe(true); // one token after 20 ms
    expect(limit.take(bucket, 20)).toBe(false);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const limit = new RateLimit(50, 3);
    const bucket = full(limit, 0);
    let allowed = 0;
    for (let i = 0; i < 10; i++) if (limit.take(bucket, 3_600_000)) allowed++;
    expect(allowed).toBe(3);
  });

  it('sustains exactly the steady rate over time', () => {
    const limit = new RateLimit(10, 1);
    const bucket = full(limit, 0);
    let allowed = 0;
    for (let ms = 0; ms <= 10_000; ms += 10) if (limit.take(bucket, ms)) allowed++;
    expect(allowed).toBe(101);
  });

  it('a clock stepping back does not mint tokens', () => {
    const limit = new RateLimit(1, 1);
    const bucket = full(limit, 1000);
    expect(limit.take(bucket, 1000)).toBe(true);
    expect(limit.take(bucket, 0)).toBe(false);
  });

  it('keeps each bucket apart under one shared limit', () => {
    const limit = new RateLimit(1, 1);
    const a = full(limit, 0);
    const b = full(limit, 0);
    expect(limit.take(a, 0)).toBe(true);
    expect(limit.take(a, 0)).toBe(false);
    expect(limit.take(b, 0)).toBe(true);
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
