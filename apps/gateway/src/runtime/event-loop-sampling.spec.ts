import { EVENT_LOOP_SAMPLE_MS, loopDelayMonitor } from './event-loop-sampling.js';

describe('loopDelayMonitor', () => {
  it(`samples an idle loop about every ${EVENT_LOOP_SAMPLE_MS} ms, not at the 10 ms default`, async () => {
    const monitor = loopDelayMonitor();
    monitor.enable();
    await new Promise((resolve) => setTimeout(resolve, 600));
    monitor.disable();
    // 12 samples expected; the 10 ms default would take about 60.
    expect(monitor.count).toBeGreaterThanOrEqual(6);
    expect(monitor.count).toBeLessThanOrEqual(20);
  });
});
