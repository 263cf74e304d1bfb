/**
 * State for topics whose events update one thing each (a package, an agent, an anomaly). The map
 * is updated in place and the wrapper replaced, so a burst of events costs O(1) each, not a copy.
 */
export interface Keyed<V> {
  map: Map<string, V>;
  version: number;
}

export const emptyKeyed = <V>(): Keyed<V> => ({ map: new Map(), version: 0 });

export function upsert<V extends object>(state: Keyed<V>, key: string, value: V, limit = 5000): Keyed<V> {
  const previous = state.map.get(key);
  state.map.delete(key);
  state.map.set(key, previous ? { ...previous, ...value } : value);
  if (state.map.size > limit) state.map.delete(state.map.keys().next().value as string);
  return { map: state.map, version: state.version + 1 };
}

/** Live values win over the REST seed; the seed fills in what no event has mentioned yet. */
export function merged<V>(seed: V[], keyOf: (v: V) => string, live: Keyed<V>): V[] {
  const out = new Map<string, V>();
  for (const item of seed) out.set(keyOf(item), item);
  for (const [key, value] of live.map) out.set(key, value);
  return [...out.values()];
}
