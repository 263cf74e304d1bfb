import type { SolverInput, StopInput } from './types.js';

/** Seeded generator (LCG) so test instances are the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Stops scattered over a ~40 km square around a depot in Amsterdam. */
export function randomInstance(n: number, vehicles: number, seed = 1, extra: Partial<SolverInput> = {}): SolverInput {
  const r = seeded(seed);
  const stops: StopInput[] = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    latitude: 52.2 + r() * 0.36,
    longitude: 4.6 + r() * 0.6,
    serviceMinutes: Math.floor(r() * 6),
  }));
  return { depot: { latitude: 52.37, longitude: 4.9 }, vehicles, stops, strategy: 'compare', speedKmh: 40, ...extra };
}
