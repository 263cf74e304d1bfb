/**
 * Handshakes per second per address, in fixed one-second windows. Memory is bounded by the
 * number of addresses seen in the current window: older windows are dropped wholesale.
 */
export class HandshakeLimiter {
  private window = 0;
  private counts = new Map<string, number>();

  constructor(private readonly perSecond: number) {}

  allow(address: string, now = Date.now()): boolean {
    const window = Math.floor(now / 1000);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const n = (this.counts.get(address) ?? 0) + 1;
    this.counts.set(address, n);
    return n <= this.perSecond;
  }
}
