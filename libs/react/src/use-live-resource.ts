import { useCallback, useEffect, useRef, useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { SubscriptionFilter, Topic } from '@tracklight/protocol';
import { useTracklightClient } from './context.js';
import { FrameBatcher } from './frame-batcher.js';
import type { LiveState } from './live-state.js';

export interface LiveResourceOptions<T extends Topic, S> {
  /** null subscribes nothing and loads nothing. */
  topic: T | null | undefined;
  /**
   * The REST read of the whole state. Omit it for topics whose snapshot is the state
   * (`map_updates`): a rebuild then waits for the snapshot the server sends after the subscribe.
   */
  load?: (signal: AbortSignal) => Promise<S>;
  /** Folds one snapshot or event into the state; must keep the newer of two versions. */
  apply: (state: S, message: TopicMessage<T>) => S;
  /** Combines a fresh read with the state held so far (default: the read). */
  adopt?: (loaded: S, held: S) => S;
  initial: S;
  filter?: SubscriptionFilter;
  /** A change (a new query, another token) rebuilds from scratch. */
  reloadKey?: string;
  /** Wait before retrying a failed read. Default 3 s. */
  retryMs?: number;
}

type Flags = Omit<LiveState<unknown>, 'state' | 'reload'>;

/**
 * The state of a view made of a REST read plus live events, kept true across gaps: it reads through
 * REST on every subscription the server did not recover (the first one included), applies events
 * that arrive during the read on top of it, and says `stale` whenever it may be missing changes.
 */
export function useLiveResource<T extends Topic, S>(options: LiveResourceOptions<T, S>): LiveState<S> {
  const client = useTracklightClient();
  const { topic, reloadKey, retryMs = 3000 } = options;
  const latest = useRef(options);
  latest.current = options;
  const [state, setState] = useState<S>(options.initial);
  const [flags, setFlags] = useState<Flags>({ stale: true, resyncing: false, error: null });
  const reloadRef = useRef<() => void>(() => undefined);
  const filterKey = JSON.stringify(options.filter ?? null);
  // A new filter (a panned map) keeps what is shown until the new subscription's data arrives.
  const kept = useRef<{ identity: string; state: S }>({ identity: '', state: options.initial });

  useEffect(() => {
    if (!topic) return;
    const identity = `${topic}|${reloadKey ?? ''}`;
    let held = kept.current.identity === identity ? kept.current.state : latest.current.initial;
    const keep = () => (kept.current = { identity, state: held });
    keep();
    setState(held);
    // Events received while a read is in flight: the read may predate them, so they go on top of it.
    let buffered: TopicMessage<T>[] | null = null;
    let awaitingSnapshot = false;
    // `subscribed` is reported a microtask after its frame, and a socket may hand over the
    // snapshot that follows it in the same tick: remember a snapshot seen on this connection.
    let snapshotSinceOpen = false;
    let generation = 0;
    let controller: AbortController | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failed = false;
    const batcher = new FrameBatcher(() => {
      keep();
      setState(() => held);
    });
    const publishFlags = () => {
      const rebuilding = buffered !== null || awaitingSnapshot;
      const cutOff = client.status.state !== 'open' || !client.isTopicActive(topic);
      setFlags((prev) => {
        const error = failed ? prev.error : null;
        const stale = cutOff || rebuilding || failed;
        return prev.stale === stale && prev.resyncing === rebuilding && prev.error === error
          ? prev
          : { stale, resyncing: rebuilding, error };
      });
    };

    const rebuild = () => {
      clearTimeout(retry);
      controller?.abort();
      const load = latest.current.load;
      if (!load) {
        awaitingSnapshot = !snapshotSinceOpen;
        publishFlags();
        return;
      }
      const mine = ++generation;
      const ctrl = new AbortController();
      controller = ctrl;
      buffered = [];
      publishFlags();
      load(ctrl.signal).then(
        (loaded) => {
          if (mine !== generation) return;
          const { adopt, apply } = latest.current;
          let next = adopt ? adopt(loaded, held) : loaded;
          for (const message of buffered ?? []) next = apply(next, message);
          buffered = null;
          failed = false;
          held = next;
          keep();
          setState(() => held);
          publishFlags();
        },
        (err: unknown) => {
          if (mine !== generation || ctrl.signal.aborted) return;
          buffered = null;
          failed = true;
          setFlags({ stale: true, resyncing: false, error: err instanceof Error ? err.message : String(err) });
          retry = setTimeout(rebuild, retryMs);
        },
      );
    };
    reloadRef.current = rebuild;

    const subscription = client.subscribe(
      topic,
      (message) => {
        held = latest.current.apply(held, message);
        buffered?.push(message);
        if (message.type === 'snapshot') {
          snapshotSinceOpen = true;
          awaitingSnapshot = false;
          publishFlags();
        }
        batcher.schedule();
      },
      filterKey === 'null' ? {} : { filter: JSON.parse(filterKey) as SubscriptionFilter },
    );
    const offSubscribed = client.on('subscribed', ({ topics, recovered }) => {
      if (!topics.includes(topic)) return;
      if (recovered) publishFlags();
      else rebuild();
    });
    const offStatus = client.on('status', (status) => {
      if (status.state !== 'open') snapshotSinceOpen = false;
      publishFlags();
    });
    // Already held by another component: no `subscribed` will come for this one.
    if (client.isTopicActive(topic)) rebuild();
    else publishFlags();
    return () => {
      generation += 1;
      controller?.abort();
      clearTimeout(retry);
      batcher.cancel();
      offSubscribed();
      offStatus();
      subscription.unsubscribe();
      reloadRef.current = () => undefined;
    };
  }, [client, topic, filterKey, reloadKey, retryMs]);

  const reload = useCallback(() => reloadRef.current(), []);
  return { state, ...flags, reload };
}
