/**
 * Keyed state for topics whose events each describe one thing (a package, an anomaly, an agent).
 * The Map is updated in place and the wrapper replaced, so a burst of events costs O(1) each and
 * React still sees a new object.
 */
export interface LiveMap<V> {
  map: Map<string, V>;
  revision: number;
}

/** True when `incoming` may replace `current`: never an older version over a newer one. */
export type Freshness<V> = (incoming: V, current: V) => boolean;

export const emptyLiveMap = <V>(): LiveMap<V> => ({ map: new Map(), revision: 0 });

const versionOf = (v: unknown): number | undefined => {
  const version = (v as { version?: unknown } | null)?.version;
  return typeof version === 'number' ? version : undefined;
};

/** The contract's rule for packages: the higher `version` wins; without versions the later arrival wins. */
export function byVersion<V>(incoming: V, current: V): boolean {
  const a = versionOf(incoming);
  const b = versionOf(current);
  return a === undefined || b === undefined || a >= b;
}

/** Inserts or updates one item (newest last in iteration order); drops the oldest beyond `limit`. */
export function upsertLive<V extends object>(
  state: LiveMap<V>,
  key: string,
  value: V,
  fresher: Freshness<V> = byVersion,
  limit = 5000,
): LiveMap<V> {
  const current = state.map.get(key);
  if (current !== undefined && !fresher(value, current)) return state;
  state.map.delete(key);
  state.map.set(key, current ? { ...current, ...value } : value);
  if (state.map.size > limit) state.map.delete(state.map.keys().next().value as string);
  return { map: state.map, revision: state.revision + 1 };
}

/**
 * A fresh REST read replaces what was held, except where the held item is newer (an event that
 * overtook the read): the view never steps back to older data.
 */
export function adoptLoaded<V>(
  loaded: V[],
  keyOf: (v: V) => string,
  held: LiveMap<V>,
  fresher: Freshness<V> = byVersion,
): LiveMap<V> {
  const map = new Map<string, V>();
  for (const item of loaded) {
    const key = keyOf(item);
    const current = held.map.get(key);
    map.set(key, current !== undefined && !fresher(item, current) ? current : item);
  }
  return { map, revision: held.revision + 1 };
}
