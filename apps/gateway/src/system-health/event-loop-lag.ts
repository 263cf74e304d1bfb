import type { IntervalHistogram } from 'node:perf_hooks';
import { lagBeyondPeriodNs, loopDelayMonitor } from '../runtime/event-loop-sampling.js';

/**
 * Event-loop lag over the last window: the p99 of the delays Node sampled every
 * EVENT_LOOP_SAMPLE_MS, less that period (an idle loop reads 0), in ms.
 * p99 rather than the mean, because a few long stalls are what WebSocket clients notice.
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram = loopDelayMonitor();

  start(): void {
    this.histogram.enable();
  }

  stop(): void {
    this.histogram.disable();
  }

  /**
   * p99 since the previous call, then starts a new window. Read in the check phase: after a stall
   * the caller's timer and the sampler's are both overdue and run in the same timers phase, the
   * caller's possibly first, and reading (resetting) the window then would lose the stall.
   */
  async takeP99Ms(): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    const p99 = this.histogram.count ? lagBeyondPeriodNs(this.histogram.percentile(99)) / 1e6 : 0;
    this.histogram.reset();
    return Math.round(p99 * 100) / 100;
  }
}
