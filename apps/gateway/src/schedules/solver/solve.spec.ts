import { Problem } from './problem.js';
import { solve } from './solve.js';
import { randomInstance, seeded } from './test-instances.js';
import { SolverError, type ConcreteStrategy, type SolverInput, type SolverResult } from './types.js';

const STRATEGIES: ConcreteStrategy[] = ['savings', 'sweep'];

function servedIds(result: SolverResult): string[] {
  return result.routes.flatMap((r) => r.stops.map((s) => s.stopId));
}

/**
 * Windows that a known plan meets: random routes are driven through and each stop's window is
 * placed around the time that plan reaches it, so a feasible answer certainly exists.
 */
function feasibleWindowsInstance(n: number, vehicles: number, seed: number): SolverInput {
  const input = randomInstance(n, vehicles, seed, { strategy: 'compare' });
  const r = seeded(seed + 100);
  const p = new Problem(input);
  const order = Array.from({ length: n }, (_, i) => i + 1);
  for (let v = 0; v < vehicles; v++) {
    const route = order.filter((_, k) => k % vehicles === v);
    for (const stop of p.timeline(route)) {
      const s = input.stops.find((x) => x.id === stop.stopId)!;
      s.windowStart = Math.max(0, Math.floor(stop.arrivalMinutes - 20 - r() * 20));
      s.windowEnd = Math.ceil(stop.arrivalMinutes + 30 + r() * 30);
    }
  }
  return input;
}

describe('solve', () => {
  it.each(STRATEGIES)('%s serves every stop exactly once, on at most `vehicles` routes', (strategy) => {
    for (const [n, vehicles, seed] of [
      [1, 1, 1],
      [2, 5, 2],
      [40, 3, 3],
      [250, 7, 4],
    ]) {
      const input = randomInstance(n, vehicles, seed, { strategy });
      const result = solve(input);
      expect(result.strategy).toBe(strategy);
      const served = servedIds(result);
      expect(served).toHaveLength(n);
      expect(new Set(served)).toEqual(new Set(input.stops.map((s) => s.id)));
      expect(result.routes.length).toBeLessThanOrEqual(vehicles);
      expect(result.kpis.vehiclesUsed).toBe(result.routes.length);
    }
  });

  it.each(STRATEGIES)('%s builds a real plan: far shorter than serving each stop on its own trip', (strategy) => {
    const input = randomInstance(120, 4, 7, { strategy });
    const p = new Problem(input);
    let separate = 0;
    for (let s = 1; s <= p.n; s++) separate += p.evaluate([s]).distanceKm;
    const result = solve(input);
    expect(result.kpis.totalDistanceKm).toBeLessThan(separate * 0.4);
  });

  it('reports per-route timetables consistent with travel, waiting and service', () => {
    const input = feasibleWindowsInstance(30, 3, 11);
    const result = solve(input);
    const byId = new Map(input.stops.map((s) => [s.id, s]));
    for (const route of result.routes) {
      route.stops.forEach((stop, k) => {
        const s = byId.get(stop.stopId)!;
        expect(stop.sequence).toBe(k + 1);
        expect(stop.serviceStartMinutes).toBeCloseTo(Math.max(stop.arrivalMinutes, s.windowStart ?? 0), 1);
        expect(stop.departureMinutes).toBeCloseTo(stop.serviceStartMinutes + (s.serviceMinutes ?? 0), 1);
        expect(stop.onTime).toBe(stop.arrivalMinutes <= (s.windowEnd ?? Infinity) + 0.01);
        if (k > 0) expect(stop.arrivalMinutes).toBeGreaterThan(route.stops[k - 1].departureMinutes);
      });
      expect(route.durationMinutes).toBeGreaterThan(route.stops[route.stops.length - 1].departureMinutes);
    }
    const late = result.routes.flatMap((r) => r.stops).filter((s) => !s.onTime).length;
    expect(result.kpis.lateStops).toBe(late);
    expect(result.kpis.onTimeRate).toBeCloseTo((30 - late) / 30, 4);
    expect(result.kpis.makespanMinutes).toBe(Math.max(...result.routes.map((r) => r.durationMinutes)));
  });

  it.each(STRATEGIES)('%s honours every window when a feasible plan exists', (strategy) => {
    for (const seed of [21, 22, 23]) {
      const input = { ...feasibleWindowsInstance(36, 3, seed), strategy };
      const result = solve(input);
      expect(result.kpis.onTimeRate).toBe(1);
      expect(result.routes.every((r) => r.stops.every((s) => s.onTime))).toBe(true);
    }
  });

  it('serves a far stop with an early deadline before a near stop without a window', () => {
    const input: SolverInput = {
      depot: { latitude: 52.37, longitude: 4.9 },
      vehicles: 1,
      strategy: 'compare',
      speedKmh: 40,
      stops: [
        { id: 'near', latitude: 52.371, longitude: 4.901, serviceMinutes: 30 },
        { id: 'far', latitude: 52.5, longitude: 4.9, windowEnd: 25 },
      ],
    };
    const result = solve(input);
    expect(result.routes[0].stops.map((s) => s.stopId)).toEqual(['far', 'near']);
    expect(result.kpis.onTimeRate).toBe(1);
  });

  it('is deterministic: the same input gives the same result', () => {
    const input = feasibleWindowsInstance(80, 4, 31);
    const a = solve(structuredClone(input));
    const b = solve(structuredClone(input));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('compare keeps the best candidate and lists every strategy', () => {
    const result = solve(randomInstance(150, 5, 41, { strategy: 'compare' }));
    expect(result.candidates?.map((c) => c.strategy)).toEqual(['savings', 'sweep']);
    const chosen = result.candidates!.find((c) => c.strategy === result.strategy)!;
    expect(chosen.kpis).toEqual(result.kpis);
    const score = (k: typeof chosen.kpis) => k.lateStops * 1e9 + k.totalDistanceKm + (k.makespanMinutes * 40) / 60;
    for (const c of result.candidates!) expect(score(chosen.kpis)).toBeLessThanOrEqual(score(c.kpis) + 1e-6);
  });

  it('reports progress through validating, planning and optimizing, never decreasing', () => {
    const seen: { step: string; progress: number }[] = [];
    solve(randomInstance(60, 3, 51), (step, progress) => seen.push({ step, progress }));
    expect(seen[0].step).toBe('validating');
    expect(new Set(seen.map((s) => s.step))).toEqual(new Set(['validating', 'planning', 'optimizing']));
    for (let k = 1; k < seen.length; k++) expect(seen[k].progress).toBeGreaterThanOrEqual(seen[k - 1].progress);
    expect(seen[seen.length - 1].progress).toBeLessThanOrEqual(90);
  });

  it('refuses inconsistent input with INVALID_INPUT naming the fields', () => {
    const input = randomInstance(3, 1, 61);
    input.stops[1].id = input.stops[0].id;
    input.stops[2].windowStart = 50;
    input.stops[2].windowEnd = 10;
    let error: unknown;
    try {
      solve(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SolverError);
    expect((error as SolverError).code).toBe('INVALID_INPUT');
    expect((error as SolverError).details).toEqual([
      { field: 'stops.1.id', error: expect.stringContaining('duplicate') },
      { field: 'stops.2.windowEnd', error: expect.any(String) },
    ]);
  });

  it('fails with INFEASIBLE when a window closes before any vehicle could get there', () => {
    const input = randomInstance(5, 2, 71);
    input.stops[3].windowEnd = 0.5;
    expect(() => solve(input)).toThrow(
      expect.objectContaining({ code: 'INFEASIBLE', details: expect.objectContaining({ count: 1 }) }),
    );
  });
});
