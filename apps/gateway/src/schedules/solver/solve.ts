import { improveRoute } from './improve.js';
import { Problem, round } from './problem.js';
import { savings } from './savings.js';
import { sweep } from './sweep.js';
import type { ConcreteStrategy, Kpis, ProgressSink, SolverInput, SolverResult } from './types.js';
import { validateInput } from './validate.js';

const CONSTRUCTIONS: Record<ConcreteStrategy, (p: Problem, neighbours: Int32Array[]) => number[][]> = {
  savings,
  sweep: (p) => sweep(p),
};
const NEIGHBOURS = 20;

/** Progress bands: validating 0-5, then planning and optimizing share 5-90 (saving is the caller's). */
const PLAN_FROM = 5;
const PLAN_TO = 90;

/**
 * Plans routes for `input`. Pure and deterministic: the same input gives the same result, with no
 * clock or randomness involved. Throws SolverError for input it refuses.
 */
export function solve(input: SolverInput, report: ProgressSink = () => {}): SolverResult {
  report('validating', 1, `Validating ${input.stops?.length ?? 0} stops`);
  validateInput(input);
  const p = new Problem(input);
  const neighbours = p.geo.neighbours(Math.min(NEIGHBOURS, p.n - 1));
  report('validating', PLAN_FROM, 'Input is valid');

  const strategies: ConcreteStrategy[] = input.strategy === 'compare' ? ['savings', 'sweep'] : [input.strategy];
  const band = (PLAN_TO - PLAN_FROM) / strategies.length;
  const plans = strategies.map((strategy, k) => {
    const from = PLAN_FROM + k * band;
    report('planning', from, `Building routes (${strategy})`);
    const built = CONSTRUCTIONS[strategy](p, neighbours);
    const optimizeFrom = from + band * 0.4;
    report('optimizing', optimizeFrom, `Improving ${built.length} routes with 2-opt and or-opt (${strategy})`);
    const routes = built.map((route, r) => {
      const better = improveRoute(p, route, neighbours);
      report('optimizing', optimizeFrom + ((band * 0.6) / built.length) * (r + 1), `Improved route ${r + 1}`);
      return better;
    });
    return { strategy, routes, kpis: kpis(p, routes) };
  });
  const best = plans.reduce((a, b) => (score(p, b.kpis) < score(p, a.kpis) ? b : a));
  return {
    strategy: best.strategy,
    ...(plans.length > 1 ? { candidates: plans.map(({ strategy, kpis }) => ({ strategy, kpis })) } : {}),
    routes: best.routes.map((route, r) => {
      const cost = p.evaluate(route);
      return {
        vehicle: r + 1,
        stops: p.timeline(route),
        distanceKm: round(cost.distanceKm, 3),
        durationMinutes: round(cost.durationMinutes),
      };
    }),
    kpis: best.kpis,
  };
}

function kpis(p: Problem, routes: number[][]): Kpis {
  let distance = 0;
  let makespan = 0;
  let late = 0;
  for (const r of routes) {
    const c = p.evaluate(r);
    distance += c.distanceKm;
    makespan = Math.max(makespan, c.durationMinutes);
    late += c.late;
  }
  return {
    totalDistanceKm: round(distance, 3),
    makespanMinutes: round(makespan),
    onTimeRate: round((p.n - late) / p.n, 4),
    lateStops: late,
    vehiclesUsed: routes.filter((r) => r.length).length,
  };
}

/**
 * Lower is better: late stops dominate; then total distance plus the makespan expressed as the
 * distance driven in that time, so a plan is not "best" by parking all but one vehicle.
 */
function score(p: Problem, k: Kpis): number {
  return k.lateStops * 1e9 + k.totalDistanceKm + k.makespanMinutes / p.geo.kmToMinutes(1);
}
