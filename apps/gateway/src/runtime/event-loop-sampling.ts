import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * How often every event-loop delay monitor of the process samples the loop: Tracklight's lag
 * gauge, system_health's eventLoopLagMs and prom-client's nodejs_eventloop_lag_*. Each sample
 * wakes a loop that would otherwise sleep, and a wake-up costs far more than the sample: at
 * prom-client's default of 10 ms an idle gateway used 12.7 ms of CPU per second here, most of it
 * these wake-ups, and 7.3 ms at 20 ms (per instance; it also shows in a lightly loaded one: S8).
 * At 20 ms every stall of 20 ms or longer is still seen, for half the wake-ups. All monitors share the period,
 * so their timers fall due together and share their wake-ups too.
 */
export const EVENT_LOOP_SAMPLE_MS = 20;

/** A new, not yet enabled, event-loop delay histogram sampling every EVENT_LOOP_SAMPLE_MS. */
export function loopDelayMonitor(): IntervalHistogram {
  return monitorEventLoopDelay({ resolution: EVENT_LOOP_SAMPLE_MS });
}
