import { PacedSweep, type SweepSource } from './paced-sweep.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Map as the registry is one: live iteration, additions seen by a running pass. */
function source(n: number): SweepSource<number> & { map: Map<number, number> } {
  const map = new Map(Array.from({ length: n }, (_, i) => [i, i] as [number, number]));
  return {
    map,
    get size() {
      return map.size;
    },
    all: () => map.values(),
  };
}

describe('PacedSweep', () => {
  it('spreads a pass over the interval in slices instead of visiting everything at once', async () => {
    const items = source(400);
    const visits: { item: number; at: number }[] = [];
    const sweep = new PacedSweep(items, 400, (item) => visits.push({ item, at: Date.now() }));
    const t0 = Date.now();
    sweep.start();
    await sleep(400 + 600);
    sweep.stop();
    const firstPass = visits.slice(0, 400);
    expect(new Set(firstPass.map((v) => v.item)).size).toBe(400);
    // The first pass began one interval after start and lasted most of an interval, not one tick.
    expect(firstPass[0].at - t0).toBeGreaterThanOrEqual(395);
    expect(firstPass[399].at - firstPass[0].at).toBeGreaterThanOrEqual(300);
    const perTick = new Map<number, number>();
    for (const v of firstPass) perTick.set(v.at, (perTick.get(v.at) ?? 0) + 1);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(Math.ceil((400 * sweep.tickMs) / 400));
  });

  it('visits each item once per pass, passes at least an interval apart, including items added meanwhile', async () => {
    const items = source(20);
    const seen = new Map<number, number[]>();
    const sweep = new PacedSweep(items, 200, (item) => seen.set(item, [...(seen.get(item) ?? []), Date.now()]));
    sweep.start();
    await sleep(250);
    items.map.set(100, 100);
    items.map.delete(19);
    await sleep(600);
    sweep.stop();
    for (const [item, times] of seen) {
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(195);
      if (item !== 19) expect(times.length).toBeGreaterThanOrEqual(2);
    }
    expect(seen.has(100)).toBe(true);
  });

  it('an empty collection keeps being swept: items added later are visited; stop() ends the sweep', async () => {
    const items = source(0);
    let visits = 0;
    const sweep = new PacedSweep(items, 100, () => (visits += 1));
    sweep.start();
    await sleep(250);
    items.map.set(1, 1);
    await sleep(250);
    expect(visits).toBeGreaterThanOrEqual(1);
    sweep.stop();
    const after = visits;
    await sleep(250);
    expect(visits).toBe(after);
  });
});
