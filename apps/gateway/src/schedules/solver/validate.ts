import { Geometry } from './geo.js';
import { SolverError, STRATEGIES, type SolverInput } from './types.js';

export const MAX_STOPS = 5000;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The worker checks its input again even though the HTTP layer validated it: the solver is a
 * library and must not trust its caller. Inconsistent input is INVALID_INPUT; a window that no
 * vehicle could reach even driving straight from the depot is INFEASIBLE.
 */
export function validateInput(input: SolverInput): void {
  const problems: { field: string; error: string }[] = [];
  const bad = (field: string, error: string) => problems.push({ field, error });
  if (!Number.isInteger(input.vehicles) || input.vehicles < 1) bad('vehicles', 'must be an integer >= 1');
  if (!STRATEGIES.includes(input.strategy)) bad('strategy', `must be one of ${STRATEGIES.join(', ')}`);
  if (!finite(input.speedKmh) || input.speedKmh <= 0) bad('speedKmh', 'must be > 0');
  if (!coordinate(input.depot)) bad('depot', 'must have a latitude in [-90, 90] and a longitude in [-180, 180]');
  if (!Array.isArray(input.stops) || input.stops.length < 1 || input.stops.length > MAX_STOPS) {
    bad('stops', `must hold 1 to ${MAX_STOPS} stops`);
    throw new SolverError('INVALID_INPUT', 'The schedule input is invalid', problems);
  }
  const ids = new Set<string>();
  input.stops.forEach((s, i) => {
    const f = `stops.${i}`;
    if (typeof s.id !== 'string' || !s.id) bad(`${f}.id`, 'must be a non-empty string');
    else if (ids.has(s.id)) bad(`${f}.id`, `duplicate stop id "${s.id}"`);
    else ids.add(s.id);
    if (!coordinate(s)) bad(f, 'must have a latitude in [-90, 90] and a longitude in [-180, 180]');
    for (const key of ['windowStart', 'windowEnd', 'serviceMinutes'] as const) {
      if (s[key] !== undefined && (!finite(s[key]) || s[key] < 0)) bad(`${f}.${key}`, 'must be a number >= 0');
    }
    if (finite(s.windowStart) && finite(s.windowEnd) && s.windowEnd < s.windowStart) {
      bad(`${f}.windowEnd`, 'must not be before windowStart');
    }
  });
  if (problems.length) throw new SolverError('INVALID_INPUT', 'The schedule input is invalid', problems);

  const geo = new Geometry([input.depot, ...input.stops], input.speedKmh);
  const unreachable = input.stops
    .map((s, i) => ({ s, earliest: geo.minutes(0, i + 1) }))
    .filter(({ s, earliest }) => s.windowEnd !== undefined && earliest > s.windowEnd + 1e-9)
    .map(({ s, earliest }) => ({ stopId: s.id, windowEnd: s.windowEnd, earliestArrivalMinutes: round2(earliest) }));
  if (unreachable.length) {
    throw new SolverError(
      'INFEASIBLE',
      `${unreachable.length} stop(s) cannot be reached before their window closes, even straight from the depot`,
      { stops: unreachable.slice(0, 100), count: unreachable.length },
    );
  }
}

function coordinate(p: { latitude?: unknown; longitude?: unknown } | undefined): boolean {
  return !!p && finite(p.latitude) && finite(p.longitude) && Math.abs(p.latitude) <= 90 && Math.abs(p.longitude) <= 180;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
