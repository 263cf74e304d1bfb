/**
 * Solver input and output. Plain data only: this folder runs inside a worker thread, so it imports
 * nothing but its own files and Node built-ins (no Nest, no path aliases).
 */
export const STRATEGIES = ['savings', 'sweep', 'compare'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export type ConcreteStrategy = Exclude<Strategy, 'compare'>;

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface StopInput extends GeoPoint {
  id: string;
  /** Minutes after the vehicles leave the depot (minute 0). */
  windowStart?: number;
  windowEnd?: number;
  serviceMinutes?: number;
}

export interface SolverInput {
  depot: GeoPoint;
  vehicles: number;
  stops: StopInput[];
  strategy: Strategy;
  /** Average travel speed; travel time is haversine distance at this speed. */
  speedKmh: number;
}

export interface PlannedStop {
  stopId: string;
  sequence: number;
  arrivalMinutes: number;
  /** Service begins at max(arrival, windowStart): a vehicle that arrives early waits. */
  serviceStartMinutes: number;
  departureMinutes: number;
  onTime: boolean;
}

export interface PlannedRoute {
  vehicle: number;
  stops: PlannedStop[];
  /** Depot, every stop in order, and back to the depot. */
  distanceKm: number;
  /** Minute the vehicle is back at the depot. */
  durationMinutes: number;
}

export interface Kpis {
  totalDistanceKm: number;
  makespanMinutes: number;
  /** Share (0..1) of stops served within their window; stops without a window count as on time. */
  onTimeRate: number;
  lateStops: number;
  vehiclesUsed: number;
}

export interface SolverResult {
  strategy: ConcreteStrategy;
  /** Every strategy tried with its KPIs, when strategy was `compare`. */
  candidates?: { strategy: ConcreteStrategy; kpis: Kpis }[];
  routes: PlannedRoute[];
  kpis: Kpis;
}

export type SolverStep = 'validating' | 'planning' | 'optimizing';

export type ProgressSink = (step: SolverStep, progress: number, message: string) => void;

/** Input the solver refuses: the schedule fails with this code instead of producing a plan. */
export class SolverError extends Error {
  constructor(
    readonly code: 'INVALID_INPUT' | 'INFEASIBLE',
    message: string,
    readonly details: unknown,
  ) {
    super(message);
  }
}
