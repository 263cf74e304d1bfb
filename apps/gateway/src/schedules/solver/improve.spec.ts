import fc from 'fast-check';
import { improveRoute } from './improve.js';
import { isBetter, Problem } from './problem.js';
import { randomInstance, seeded } from './test-instances.js';

function shuffled(n: number, seed: number): number[] {
  const r = seeded(seed);
  const a = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function withWindows(n: number, seed: number) {
  const input = randomInstance(n, 1, seed);
  const r = seeded(seed * 7);
  input.stops.forEach((s, i) => {
    if (i % 2) return;
    s.windowStart = Math.floor(r() * 300);
    s.windowEnd = s.windowStart + 30 + Math.floor(r() * 120);
  });
  return input;
}

describe('improveRoute (2-opt and or-opt)', () => {
  it('never makes a route worse and keeps exactly its stops', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 25 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.boolean(),
        (n, seed, windows) => {
          const input = windows ? withWindows(n, seed) : randomInstance(n, 1, seed);
          const p = new Problem(input);
          const before = shuffled(n, seed);
          const after = improveRoute(p, before, p.geo.neighbours(Math.min(20, n - 1)));
          expect([...after].sort((a, b) => a - b)).toEqual([...before].sort((a, b) => a - b));
          const cb = p.evaluate(before);
          const ca = p.evaluate(after);
          expect(isBetter(cb, ca)).toBe(false);
          expect(ca.late).toBeLessThanOrEqual(cb.late);
          if (ca.late === cb.late) expect(ca.distanceKm).toBeLessThanOrEqual(cb.distanceKm + 1e-9);
        },
      ),
      { numRuns: 40, seed: 4242 },
    );
  });

  it('shortens a random tour substantially, also on long routes searched by neighbour lists', () => {
    for (const n of [40, 400]) {
      const p = new Problem(randomInstance(n, 1, n));
      const before = shuffled(n, n);
      const after = improveRoute(p, before, p.geo.neighbours(20));
      expect(after).toHaveLength(n);
      expect(new Set(after).size).toBe(n);
      expect(p.evaluate(after).distanceKm).toBeLessThan(p.evaluate(before).distanceKm * 0.5);
    }
  });

  it('removes lateness a bad order causes when a better order exists', () => {
    const input = withWindows(12, 5);
    const p = new Problem(input);
    // Latest windows first: the worst order for deadlines.
    const before = Array.from({ length: 12 }, (_, i) => i + 1).sort((a, b) => p.windowEnd[b] - p.windowEnd[a]);
    const after = improveRoute(p, before, p.geo.neighbours(11));
    expect(p.evaluate(after).late).toBeLessThan(p.evaluate(before).late);
  });
});
