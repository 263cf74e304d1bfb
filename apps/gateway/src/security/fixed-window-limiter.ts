interface Window {
  count: number;
  resetAt: number;
}

/**
 * Requests per key in fixed windows of `windowMs`. Expired windows are swept at most once per
 * window, so memory is bounded by the keys active in the last two windows.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private nextSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request: 0 when allowed, otherwise the ms until the key's window resets. */
  hit(key: string, now = Date.now()): number {
    if (now >= this.nextSweep) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now >= w.resetAt) {
      w = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count <= this.limit ? 0 : w.resetAt - now;
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now >= w.resetAt) this.windows.delete(key);
    this.nextSweep = now + this.windowMs;
  }
}
