import { useCallback, useMemo } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { SubscriptionFilter, Topic } from '@tracklight/protocol';
import { adoptLoaded, byVersion, emptyLiveMap, upsertLive, type Freshness, type LiveMap } from './live-map.js';
import type { LiveState } from './live-state.js';
import { useLiveResource } from './use-live-resource.js';

export interface LiveListOptions<T extends Topic, V extends object> {
  topic: T | null | undefined;
  /** The REST list; omit it when the topic's snapshot carries the whole list (see `fromSnapshot`). */
  load?: (signal: AbortSignal) => Promise<V[]>;
  keyOf: (item: V) => string;
  /** The item an event carries; undefined ignores the message. */
  fromEvent: (message: TopicMessage<T>) => V | undefined;
  /** The whole list a snapshot carries (it replaces the state); undefined ignores snapshots. */
  fromSnapshot?: (message: TopicMessage<T>) => V[] | undefined;
  /** Which of two states of one item is newer (default: higher `version`, else the later arrival). */
  fresher?: Freshness<V>;
  limit?: number;
  filter?: SubscriptionFilter;
  reloadKey?: string;
}

/**
 * "REST list plus live events", keyed: `useLiveResource` with merging by key and freshness, so
 * neither a late REST read nor a replayed event can step an item back to older data.
 */
export function useLiveList<T extends Topic, V extends object>(options: LiveListOptions<T, V>): LiveState<LiveMap<V>> {
  const { keyOf, fromEvent, fromSnapshot, fresher = byVersion, limit = 5000, load } = options;
  const initial = useMemo(() => emptyLiveMap<V>(), []);
  const apply = useCallback(
    (state: LiveMap<V>, message: TopicMessage<T>): LiveMap<V> => {
      if (message.type === 'snapshot') {
        const items = fromSnapshot?.(message);
        return items ? adoptLoaded(items, keyOf, emptyLiveMap<V>(), fresher) : state;
      }
      const item = fromEvent(message);
      return item ? upsertLive(state, keyOf(item), item, fresher, limit) : state;
    },
    [fromEvent, fromSnapshot, keyOf, fresher, limit],
  );
  const loadMap = useMemo(
    () => (load ? async (signal: AbortSignal) => adoptLoaded(await load(signal), keyOf, emptyLiveMap<V>()) : undefined),
    [load, keyOf],
  );
  const adopt = useCallback(
    (loaded: LiveMap<V>, held: LiveMap<V>) => adoptLoaded([...loaded.map.values()], keyOf, held, fresher),
    [keyOf, fresher],
  );
  return useLiveResource<T, LiveMap<V>>({
    topic: options.topic,
    load: loadMap,
    apply,
    adopt,
    initial,
    filter: options.filter,
    reloadKey: options.reloadKey,
  });
}
