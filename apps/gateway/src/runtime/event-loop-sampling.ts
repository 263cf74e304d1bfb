import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * How often every event-loop delay monitor of the process samples the loop: Tracklight's lag
 * gauge, system_health's eventLoopLagMs and prom-client's nodejs_eventloop_lag_*. Each sample
 * wakes a loop that would otherwise sleep, and on this virtual machine a wake-up costs about
 * 100 µs of CPU, far more than the sample: at prom-client's default of 10 ms an idle gateway used
 * 12.7 ms of CPU per second, 7.3 ms at 20 ms (per instance; it also shows in a lightly loaded one:
 * S8 in docs/benchmarks.md, where two instances deliver 20 events/s). At 50 ms every stall of 50 ms or longer is
 * still seen, a quarter of the 200 ms at which an instance reports itself degraded. All monitors
 * share the period; GatewayMetrics enables prom-client's and its own in one tick, so those two
 * fall due together and share their wake-ups.
 */
export const EVENT_LOOP_SAMPLE_MS = 50;

/** A new, not yet enabled, event-loop delay histogram sampling every EVENT_LOOP_SAMPLE_MS. */
export function loopDelayMonitor(): IntervalHistogram {
  return monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
}

/**
 * The lag in a sample of such a monitor, in ns. Node records the time between two samples, the
 * sampling period included, so an idle loop reads EVENT_LOOP_SAMPLE_MS: the lag is what exceeds it.
 */
export function lagBeyondPeriodNs(sampleNs: number): number {
  return Math.max(0, sampleNs - EVENT_LOOP_SAMPLE_MS * 1e6);
}
