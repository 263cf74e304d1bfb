/** Tokens are counted in thousandths so whole-millisecond refills add up exactly (no float drift). */
const UNIT = 1000;

/**
 * Token bucket: `perSecond` tokens flow in continuously up to `burst`. Refilled lazily on each
 * take, so an idle connection costs no timer.
 */
export class TokenBucket {
  private milli: number;
  private updatedAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.milli = burst * UNIT;
    this.updatedAt = now;
  }

  /** Takes one token; false when the bucket is empty (the message must be dropped). */
  take(now = Date.now()): boolean {
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      // elapsed ms * perSecond tokens/s = elapsed * perSecond thousandths of a token.
      this.milli = Math.min(this.burst * UNIT, this.milli + elapsed * this.perSecond);
      this.updatedAt = now;
    }
    if (this.milli < UNIT) return false;
    this.milli -= UNIT;
    return true;
  }
}
