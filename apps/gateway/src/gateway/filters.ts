import {
  PACKAGE_STATUSES,
  SEVERITIES,
  TOPIC_EVENT_TYPES,
  parseTopic,
  topicDeclaration,
  type SubscriptionFilter,
} from '@tracklight/protocol';
import type { BusEvent } from '../bus/event-bus.js';

/** Decides whether one event reaches one subscriber; evaluated on the already-parsed event. */
export type EventPredicate = (event: BusEvent) => boolean;

type FilterKey = keyof SubscriptionFilter;

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
const STATUS_SET: ReadonlySet<string> = new Set(PACKAGE_STATUSES);

export type CompiledFilters =
  { ok: true; byTopic: Map<string, EventPredicate | undefined> } | { ok: false; message: string };

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Inside [west, east] longitudes, where west > east means the box crosses the antimeridian. */
export function inBbox(bbox: readonly [number, number, number, number], lon: number, lat: number): boolean {
  const [west, south, east, north] = bbox;
  if (lat < south || lat > north) return false;
  return west <= east ? lon >= west && lon <= east : lon >= west || lon <= east;
}

function predicateFor(keys: readonly FilterKey[], filter: SubscriptionFilter): EventPredicate | undefined {
  const checks: EventPredicate[] = [];
  for (const key of keys) {
    switch (key) {
      case 'bbox': {
        const bbox = filter.bbox;
        if (!bbox) break;
        checks.push((e) => {
          const d = e.data as { latitude?: unknown; longitude?: unknown };
          const lat = num(d.latitude);
          const lon = num(d.longitude);
          return lat !== undefined && lon !== undefined && inBbox(bbox, lon, lat);
        });
        break;
      }
      case 'minSeverity': {
        const min = filter.minSeverity;
        if (!min) break;
        const rank = SEVERITY_RANK.get(min) ?? 0;
        checks.push((e) => (SEVERITY_RANK.get(String((e.data as { severity?: unknown }).severity)) ?? -1) >= rank);
        break;
      }
      case 'carrier': {
        const carrier = filter.carrier;
        if (carrier === undefined) break;
        checks.push((e) => (e.data as { carrier?: unknown }).carrier === carrier);
        break;
      }
      case 'status': {
        const wanted = filter.status;
        if (!wanted) break;
        const set: ReadonlySet<unknown> = new Set(wanted);
        checks.push((e) => set.has((e.data as { status?: unknown }).status));
        break;
      }
      case 'types': {
        const types = filter.types;
        if (!types) break;
        const set: ReadonlySet<string> = new Set(types);
        checks.push((e) => set.has(e.type));
        break;
      }
      default: {
        const exhaustive: never = key;
        throw new Error(`unhandled filter key ${String(exhaustive)}`);
      }
    }
  }
  if (checks.length === 0) return undefined;
  if (checks.length === 1) return checks[0];
  return (e) => checks.every((c) => c(e));
}

/**
 * Splits one request's filter over its topics: each topic gets the keys it understands. A key no
 * topic of the request understands, or a value the DTO cannot judge alone (latitude range,
 * south above north), is refused so the client learns its filter would have done nothing.
 */
export function compileFilters(topics: readonly string[], filter: SubscriptionFilter | undefined): CompiledFilters {
  const byTopic = new Map<string, EventPredicate | undefined>();
  if (!filter) {
    for (const t of topics) byTopic.set(t, undefined);
    return { ok: true, byTopic };
  }
  const given = (Object.keys(filter) as FilterKey[]).filter((k) => filter[k] !== undefined);
  if (filter.bbox) {
    const [, south, , north] = filter.bbox;
    if (south < -90 || south > 90 || north < -90 || north > 90) {
      return { ok: false, message: 'filter.bbox south and north must be latitudes between -90 and 90' };
    }
    if (south > north) return { ok: false, message: 'filter.bbox south must not be above north' };
  }
  if (filter.status && !filter.status.every((s) => STATUS_SET.has(s))) {
    return { ok: false, message: 'filter.status holds an unknown package status' };
  }
  const understood = new Set<FilterKey>();
  const carried = new Set<string>();
  for (const t of topics) {
    const family = parseTopic(t)?.family;
    // Which keys a family understands is declared with it (libs/protocol topic-registry.ts).
    const keys: readonly FilterKey[] = (family && topicDeclaration(family).filters) || [];
    const applicable = keys.filter((k) => given.includes(k));
    applicable.forEach((k) => understood.add(k));
    // Like every key, `types` applies to the topics of the request that understand it: those
    // carrying at least one of the listed types. A type no topic carries would filter nothing.
    const own: readonly string[] = family ? TOPIC_EVENT_TYPES[family] : [];
    if (filter.types?.some((type) => own.includes(type))) {
      applicable.push('types');
      understood.add('types');
      for (const type of own) carried.add(type);
    }
    byTopic.set(t, predicateFor(applicable, filter));
  }
  const stray = filter.types?.filter((type) => !carried.has(type)) ?? [];
  if (stray.length) {
    return { ok: false, message: `filter.types: no topic of this request carries ${stray.join(', ')}` };
  }
  const orphan = given.filter((k) => !understood.has(k));
  if (orphan.length) {
    return {
      ok: false,
      message: `filter key${orphan.length > 1 ? 's' : ''} ${orphan.join(', ')} not understood by any topic of this request`,
    };
  }
  return { ok: true, byTopic };
}
