import { Geometry } from './geo.js';
import type { PlannedStop, SolverInput } from './types.js';

/** Cost of one route: late stops first, then distance; duration breaks no ties but must not grow. */
export interface RouteCost {
  late: number;
  distanceKm: number;
  durationMinutes: number;
}

const EPS = 1e-9;

/** True when `a` is strictly better than `b`: fewer late stops, or as many and shorter without ending later. */
export function isBetter(a: RouteCost, b: RouteCost): boolean {
  if (a.late !== b.late) return a.late < b.late;
  return a.distanceKm < b.distanceKm - EPS && a.durationMinutes <= b.durationMinutes + EPS;
}

/**
 * The instance in index form: node 0 is the depot, node i (1..n) is stops[i - 1]. A route is the
 * list of its stop nodes; every vehicle leaves the depot at minute 0 and returns to it.
 */
export class Problem {
  readonly geo: Geometry;
  readonly n: number;
  readonly vehicles: number;
  readonly windowStart: Float64Array;
  readonly windowEnd: Float64Array;
  readonly service: Float64Array;
  /** Whether any stop has a window: without windows, a shorter route is never a later one. */
  readonly hasWindows: boolean;

  constructor(readonly input: SolverInput) {
    this.n = input.stops.length;
    this.vehicles = input.vehicles;
    this.geo = new Geometry([input.depot, ...input.stops], input.speedKmh);
    this.windowStart = new Float64Array(this.n + 1);
    this.windowEnd = new Float64Array(this.n + 1).fill(Infinity);
    this.service = new Float64Array(this.n + 1);
    let windows = false;
    input.stops.forEach((s, i) => {
      this.windowStart[i + 1] = s.windowStart ?? 0;
      this.windowEnd[i + 1] = s.windowEnd ?? Infinity;
      this.service[i + 1] = s.serviceMinutes ?? 0;
      if (s.windowStart !== undefined || s.windowEnd !== undefined) windows = true;
    });
    this.hasWindows = windows;
  }

  evaluate(route: ArrayLike<number>): RouteCost {
    const geo = this.geo;
    let prev = 0;
    let t = 0;
    let km = 0;
    let late = 0;
    for (let k = 0; k < route.length; k++) {
      const node = route[k];
      const leg = geo.km(prev, node);
      km += leg;
      const arrival = t + geo.kmToMinutes(leg);
      if (arrival > this.windowEnd[node] + EPS) late++;
      t = Math.max(arrival, this.windowStart[node]) + this.service[node];
      prev = node;
    }
    const back = geo.km(prev, 0);
    return { late, distanceKm: km + back, durationMinutes: route.length ? t + geo.kmToMinutes(back) : 0 };
  }

  /** The per-stop timetable of a route, for the result. */
  timeline(route: readonly number[]): PlannedStop[] {
    const geo = this.geo;
    let prev = 0;
    let t = 0;
    return route.map((node, k) => {
      const arrival = t + geo.minutes(prev, node);
      const start = Math.max(arrival, this.windowStart[node]);
      t = start + this.service[node];
      prev = node;
      return {
        stopId: this.input.stops[node - 1].id,
        sequence: k + 1,
        arrivalMinutes: round(arrival),
        serviceStartMinutes: round(start),
        departureMinutes: round(t),
        onTime: arrival <= this.windowEnd[node] + EPS,
      };
    });
  }
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
