import { type Problem, type RouteCost } from './problem.js';

interface Route {
  stops: number[];
  cost: RouteCost;
}

const EPS = 1e-9;
/** How much the per-route duration cap grows each round while there are more routes than vehicles. */
const CAP_GROWTH = 1.1;

/**
 * Clarke-Wright savings, parallel version. Without capacities plain savings would chain every
 * stop into one route, so merges are bounded by a per-route duration cap that starts at an even
 * share of the estimated work and grows until the routes fit the fleet; a merge may not add late
 * stops. Savings are only computed between near neighbours, which keeps 2,000 stops cheap.
 */
export function savings(p: Problem, neighbours: Int32Array[]): number[][] {
  const geo = p.geo;
  const n = p.n;
  const routes = new Map<number, Route>();
  const routeOf = new Int32Array(n + 1);
  for (let s = 1; s <= n; s++) {
    routes.set(s, { stops: [s], cost: p.evaluate([s]) });
    routeOf[s] = s;
  }
  const pairs = savingPairs(p, neighbours);

  let cap = initialCap(p, neighbours);
  const ceiling = [...routes.values()].reduce((a, r) => a + r.cost.durationMinutes, 0) + 1;
  while (routes.size > p.vehicles && cap <= ceiling * CAP_GROWTH) {
    for (let k = 0; k < pairs.count; k++) {
      const i = pairs.a[k];
      const j = pairs.b[k];
      const ra = routeOf[i];
      const rb = routeOf[j];
      if (ra === rb) continue;
      const A = routes.get(ra)!;
      const B = routes.get(rb)!;
      if (!isEnd(A.stops, i) || !isEnd(B.stops, j)) continue;
      // Travel saved is a lower bound for the merged duration only when nobody waits; it still
      // prunes most hopeless merges before the exact evaluation.
      if (A.cost.durationMinutes + B.cost.durationMinutes - geo.kmToMinutes(pairs.saving[k]) > cap + EPS) continue;
      const merged = bestMerge(p, A, i, B, j, cap);
      if (!merged) continue;
      const keep = A.stops.length >= B.stops.length ? ra : rb;
      const drop = keep === ra ? rb : ra;
      for (const s of routes.get(drop)!.stops) routeOf[s] = keep;
      routes.delete(drop);
      routes.set(keep, merged);
      if (routes.size <= p.vehicles) break;
    }
    cap *= CAP_GROWTH;
  }
  const result = [...routes.values()].map((r) => r.stops);
  return fitFleet(p, result);
}

function isEnd(stops: number[], s: number): boolean {
  return stops[0] === s || stops[stops.length - 1] === s;
}

/** A then B with i and j adjacent, in whichever direction is better; undefined when neither fits. */
function bestMerge(p: Problem, A: Route, i: number, B: Route, j: number, cap: number): Route | undefined {
  const a = A.stops[A.stops.length - 1] === i ? A.stops : [...A.stops].reverse();
  const b = B.stops[0] === j ? B.stops : [...B.stops].reverse();
  const forward = [...a, ...b];
  const candidates = p.hasWindows ? [forward, [...forward].reverse()] : [forward];
  let best: Route | undefined;
  for (const stops of candidates) {
    const cost = p.evaluate(stops);
    if (cost.late > A.cost.late + B.cost.late || cost.durationMinutes > cap + EPS) continue;
    if (!best || cost.late < best.cost.late || (cost.late === best.cost.late && cost.distanceKm < best.cost.distanceKm))
      best = { stops, cost };
  }
  return best;
}

interface Pairs {
  a: Int32Array;
  b: Int32Array;
  saving: Float64Array;
  count: number;
}

/** Neighbour pairs with a positive saving, best first, ties by node index (deterministic). */
function savingPairs(p: Problem, neighbours: Int32Array[]): Pairs {
  const geo = p.geo;
  const seen = new Set<number>();
  const list: { a: number; b: number; s: number }[] = [];
  for (let i = 1; i <= p.n; i++) {
    for (const j of neighbours[i]) {
      const lo = Math.min(i, j);
      const hi = Math.max(i, j);
      const key = lo * (p.n + 1) + hi;
      if (seen.has(key)) continue;
      seen.add(key);
      const s = geo.km(0, lo) + geo.km(0, hi) - geo.km(lo, hi);
      if (s > EPS) list.push({ a: lo, b: hi, s });
    }
  }
  list.sort((x, y) => y.s - x.s || x.a - y.a || x.b - y.b);
  return {
    a: Int32Array.from(list, (x) => x.a),
    b: Int32Array.from(list, (x) => x.b),
    saving: Float64Array.from(list, (x) => x.s),
    count: list.length,
  };
}

/** An even share of the estimated work per vehicle, and never less than the longest single-stop trip. */
function initialCap(p: Problem, neighbours: Int32Array[]): number {
  const geo = p.geo;
  let work = 0;
  let longest = 0;
  let depot = 0;
  for (let s = 1; s <= p.n; s++) {
    const nearest = neighbours[s].length ? geo.minutes(s, neighbours[s][0]) : geo.minutes(0, s);
    work += nearest + p.service[s];
    depot += geo.minutes(0, s);
    longest = Math.max(longest, p.evaluate([s]).durationMinutes);
  }
  const vehicles = Math.min(p.vehicles, p.n);
  work += (2 * depot * vehicles) / p.n;
  return Math.max(longest, work / vehicles);
}

/**
 * When lateness blocked merges and there are still more routes than vehicles, the smallest routes
 * are dissolved and their stops inserted where they add the least lateness, then distance.
 */
function fitFleet(p: Problem, routes: number[][]): number[][] {
  const geo = p.geo;
  const out = routes.map((r) => [...r]);
  while (out.length > p.vehicles) {
    let smallest = 0;
    out.forEach((r, k) => {
      if (r.length < out[smallest].length) smallest = k;
    });
    const [dissolved] = out.splice(smallest, 1);
    for (const s of dissolved) {
      let best: { r: number; k: number; late: number; delta: number } | undefined;
      out.forEach((route, r) => {
        const before = p.evaluate(route).late;
        // Rank positions by added distance, then judge the few best exactly (lateness is O(route)).
        const ranked = Array.from({ length: route.length + 1 }, (_, k) => {
          const x = k === 0 ? 0 : route[k - 1];
          const y = k === route.length ? 0 : route[k];
          return { k, delta: geo.km(x, s) + geo.km(s, y) - geo.km(x, y) };
        })
          .sort((u, v) => u.delta - v.delta || u.k - v.k)
          .slice(0, 8);
        for (const { k, delta } of ranked) {
          const late = p.evaluate([...route.slice(0, k), s, ...route.slice(k)]).late - before;
          if (!best || late < best.late || (late === best.late && delta < best.delta - EPS))
            best = { r, k, late, delta };
        }
      });
      out[best!.r].splice(best!.k, 0, s);
    }
  }
  return out;
}
