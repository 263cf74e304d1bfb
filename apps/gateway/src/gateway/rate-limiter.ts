import { performance } from 'node:perf_hooks';

/** Tokens are counted in thousandths so whole-millisecond refills add up exactly (no float drift). */
const UNIT = 1000;

/**
 * A client's token bucket, kept as two small integers on the client itself (Connection) rather
 * than as an object of its own: one object less per idle connection (S1 in docs/benchmarks.md).
 */
export interface BucketState {
  /** Tokens held, in thousandths. */
  tokens: number;
  /** When the bucket was last refilled, on the clock passed to take(). */
  tokensAt: number;
}

/**
 * Token bucket: `perSecond` tokens flow in continuously up to `burst`. Refilled lazily on each
 * take, so an idle connection costs no timer. One instance holds the limits for every client.
 */
export class RateLimit {
  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {}

  /** Fills a bucket to the burst, as a new client starts. */
  fill(bucket: BucketState, now = monotonicMs()): void {
    bucket.tokens = this.burst * UNIT;
    bucket.tokensAt = now;
  }

  /** Takes one token; false when the bucket is empty (the message must be dropped). */
  take(bucket: BucketState, now = monotonicMs()): boolean {
    const elapsed = now - bucket.tokensAt;
    if (elapsed > 0) {
      // elapsed ms * perSecond tokens/s = elapsed * perSecond thousandths of a token.
      bucket.tokens = Math.min(this.burst * UNIT, bucket.tokens + elapsed * this.perSecond);
      bucket.tokensAt = now;
    }
    if (bucket.tokens < UNIT) return false;
    bucket.tokens -= UNIT;
    return true;
  }
}

/**
 * Whole milliseconds of a clock that never steps back, counted from process start: a small
 * integer V8 stores inline (an epoch in ms would be a boxed double on every connection).
 */
export function monotonicMs(): number {
  return Math.floor(performance.now());
}
