import { isBetter, type Problem, type RouteCost } from './problem.js';

const EPS = 1e-9;
const MAX_PASSES = 40;
/** Up to this length every move is tried; longer routes only try moves towards near neighbours. */
const FULL_SEARCH_LENGTH = 150;
/** Routes up to this length with late stops also try moves that add distance, to remove lateness. */
const EXHAUSTIVE_LENGTH = 80;

interface Search {
  p: Problem;
  neighbours: Int32Array[];
  route: number[];
  cost: RouteCost;
}

/**
 * 2-opt and or-opt on one route, accepting a move only when the route gets strictly better
 * (isBetter), so the result is never worse than the input. Deterministic: fixed move order, no
 * clock, and a pass limit instead of a time limit.
 */
export function improveRoute(p: Problem, route: readonly number[], neighbours: Int32Array[]): number[] {
  const s: Search = { p, neighbours, route: [...route], cost: p.evaluate(route) };
  if (s.route.length < 3) return s.route;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const a = twoOpt(s);
    const b = orOpt(s);
    if (!a && !b) break;
  }
  return s.route;
}

/** Tries a candidate route: when it is better, it becomes the route. */
function offer(s: Search, candidate: number[], distanceDelta: number): boolean {
  // Without windows, lateness is always zero and a shorter route is never a longer one in time.
  if (!s.p.hasWindows) {
    if (distanceDelta >= -EPS) return false;
    s.route = candidate;
    s.cost = s.p.evaluate(candidate);
    return true;
  }
  const cost = s.p.evaluate(candidate);
  if (!isBetter(cost, s.cost)) return false;
  s.route = candidate;
  s.cost = cost;
  return true;
}

/** Whether moves that add distance should be tried: only to remove lateness on short routes. */
function exhaustive(s: Search): boolean {
  return s.p.hasWindows && s.cost.late > 0 && s.route.length <= EXHAUSTIVE_LENGTH;
}

/** Node at extended position k: 0 and len + 1 are the depot. */
function at(route: number[], k: number): number {
  return k === 0 || k === route.length + 1 ? 0 : route[k - 1];
}

function reverseSegment(route: number[], i: number, j: number): number[] {
  // Extended positions i+1..j are route indexes i..j-1.
  return [...route.slice(0, i), ...route.slice(i, j).reverse(), ...route.slice(j)];
}

function twoOpt(s: Search): boolean {
  let improved = false;
  const len = () => s.route.length;
  const tryMove = (i: number, j: number): boolean => {
    const r = s.route;
    const geo = s.p.geo;
    const a = at(r, i);
    const b = at(r, i + 1);
    const c = at(r, j);
    const d = at(r, j + 1);
    const delta = geo.km(a, c) + geo.km(b, d) - geo.km(a, b) - geo.km(c, d);
    if (delta >= -EPS && !exhaustive(s)) return false;
    return offer(s, reverseSegment(r, i, j), delta);
  };
  if (len() <= FULL_SEARCH_LENGTH) {
    for (let i = 0; i < len() - 1; i++) {
      for (let j = i + 2; j <= len(); j++) {
        if (tryMove(i, j)) improved = true;
      }
    }
    return improved;
  }
  const pos = positions(s.route, s.p.n);
  for (let i = 1; i < len(); i++) {
    const u = s.route[i - 1];
    for (const v of s.neighbours[u]) {
      const j = pos[v];
      if (j < 0) continue;
      const ok = j > i + 1 ? tryMove(i, j) : j < i - 1 ? tryMove(j, i) : false;
      if (ok) {
        improved = true;
        refresh(pos, s.route);
        break;
      }
    }
  }
  return improved;
}

function orOpt(s: Search): boolean {
  let improved = false;
  const geo = s.p.geo;
  for (let size = 1; size <= 3; size++) {
    let pos = s.route.length > FULL_SEARCH_LENGTH ? positions(s.route, s.p.n) : undefined;
    for (let i = 1; i + size - 1 <= s.route.length; i++) {
      const r = s.route;
      const first = r[i - 1];
      const last = r[i + size - 2];
      const prev = at(r, i - 1);
      const next = at(r, i + size);
      const gain = geo.km(prev, first) + geo.km(last, next) - geo.km(prev, next);
      const rest = [...r.slice(0, i - 1), ...r.slice(i + size - 1)];
      const segment = r.slice(i - 1, i + size - 1);
      for (const k of insertionPoints(s, rest, first, last, pos)) {
        // Insert between rest's extended positions k and k + 1.
        const x = at(rest, k);
        const y = at(rest, k + 1);
        const delta = geo.km(x, first) + geo.km(last, y) - geo.km(x, y) - gain;
        if (delta >= -EPS && !exhaustive(s)) continue;
        if (offer(s, [...rest.slice(0, k), ...segment, ...rest.slice(k)], delta)) {
          improved = true;
          if (pos) pos = positions(s.route, s.p.n);
          break;
        }
      }
    }
  }
  return improved;
}

/** Where a segment may go in `rest`: everywhere on short routes, next to its near neighbours otherwise. */
function insertionPoints(s: Search, rest: number[], first: number, last: number, pos?: Int32Array): number[] {
  if (!pos) return Array.from({ length: rest.length + 1 }, (_, k) => k);
  const restPos = positions(rest, s.p.n);
  const points = new Set<number>();
  for (const end of [first, last]) {
    for (const v of s.neighbours[end]) {
      const k = restPos[v];
      if (k < 0) continue;
      points.add(k);
      points.add(k - 1);
    }
  }
  return [...points].filter((k) => k >= 0 && k <= rest.length).sort((a, b) => a - b);
}

/** Extended position (1-based) of each node in the route, -1 when absent. */
function positions(route: number[], n: number): Int32Array {
  const pos = new Int32Array(n + 1).fill(-1);
  refresh(pos, route);
  return pos;
}

function refresh(pos: Int32Array, route: number[]): void {
  pos.fill(-1);
  route.forEach((node, k) => (pos[node] = k + 1));
}
