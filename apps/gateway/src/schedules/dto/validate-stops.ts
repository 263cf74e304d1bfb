import type { StopInput } from '../solver/types.js';
import { MAX_STOPS } from '../solver/validate.js';

/** Windows are minutes after departure from the depot; a week bounds any sane plan. */
export const MAX_MINUTES = 7 * 24 * 60;
export const MAX_SERVICE_MINUTES = 24 * 60;
/** Enough to fix a body; a body with thousands of bad stops need not echo every one. */
const MAX_REPORTED = 100;

export interface FieldError {
  field: string;
  errors: string[];
}

const KEYS = new Set(['id', 'latitude', 'longitude', 'windowStart', 'windowEnd', 'serviceMinutes']);

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks `stops` in one pass and returns the failing fields (`stops.3.latitude`), in the shape
 * of the ValidationPipe's 400 so clients see one format. Unknown properties are refused too.
 */
export function validateStops(value: unknown): { stops: StopInput[]; fields: FieldError[] } {
  if (!Array.isArray(value)) return { stops: [], fields: [{ field: 'stops', errors: ['stops must be an array'] }] };
  if (value.length < 1 || value.length > MAX_STOPS) {
    return { stops: [], fields: [{ field: 'stops', errors: [`stops must contain 1 to ${MAX_STOPS} elements`] }] };
  }
  const fields: FieldError[] = [];
  const bad = (field: string, error: string) => {
    const last = fields[fields.length - 1];
    if (last?.field === field) last.errors.push(error);
    else fields.push({ field, errors: [error] });
  };
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (let i = 0; i < value.length && fields.length < MAX_REPORTED; i++) {
    const f = `stops.${i}`;
    const s: unknown = value[i];
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      bad(f, `${f} must be an object`);
      continue;
    }
    const stop = s as Record<string, unknown>;
    for (const key of Object.keys(stop)) if (!KEYS.has(key)) bad(`${f}.${key}`, `property ${key} should not exist`);
    if (typeof stop.id !== 'string' || stop.id.length < 1 || stop.id.length > 100) {
      bad(`${f}.id`, 'id must be a string of 1 to 100 characters');
    } else if (seen.has(stop.id)) {
      repeated.add(stop.id);
    } else {
      seen.add(stop.id);
    }
    if (!finite(stop.latitude) || Math.abs(stop.latitude) > 90) bad(`${f}.latitude`, 'latitude must be in [-90, 90]');
    if (!finite(stop.longitude) || Math.abs(stop.longitude) > 180) {
      bad(`${f}.longitude`, 'longitude must be in [-180, 180]');
    }
    for (const [key, max] of [
      ['windowStart', MAX_MINUTES],
      ['windowEnd', MAX_MINUTES],
      ['serviceMinutes', MAX_SERVICE_MINUTES],
    ] as const) {
      const v = stop[key];
      if (v !== undefined && (!finite(v) || v < 0 || v > max))
        bad(`${f}.${key}`, `${key} must be a number in [0, ${max}]`);
    }
    if (finite(stop.windowStart) && finite(stop.windowEnd) && stop.windowEnd < stop.windowStart) {
      bad(`${f}.windowEnd`, 'windowEnd must not be before windowStart');
    }
  }
  if (repeated.size) {
    fields.push({
      field: 'stops',
      errors: [`stop ids must be unique; repeated: ${[...repeated].slice(0, 10).join(', ')}`],
    });
  }
  if (fields.length) return { stops: [], fields };
  const stops = (value as Record<string, unknown>[]).map((s) => {
    const stop: StopInput = { id: s.id as string, latitude: s.latitude as number, longitude: s.longitude as number };
    if (s.windowStart !== undefined) stop.windowStart = s.windowStart as number;
    if (s.windowEnd !== undefined) stop.windowEnd = s.windowEnd as number;
    if (s.serviceMinutes !== undefined) stop.serviceMinutes = s.serviceMinutes as number;
    return stop;
  });
  return { stops, fields };
}
