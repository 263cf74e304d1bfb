import { useEffect, useRef, useState } from 'react';
import type { SubscribeOptions, TopicMessage } from '@tracklight/client';
import type { Topic } from '@tracklight/protocol';
import { useTracklightClient } from './context.js';
import { FrameBatcher } from './frame-batcher.js';

export type TopicReducer<T extends Topic, S> = (state: S, message: TopicMessage<T>) => S;

/** Without a reducer the state is the data of the latest snapshot or event. */
export function useTopic<T extends Topic>(topic: T | null | undefined): TopicMessage<T>['data'] | undefined;
export function useTopic<T extends Topic, S>(
  topic: T | null | undefined,
  reducer: TopicReducer<T, S>,
  initialState: S,
  options?: SubscribeOptions,
): S;
/**
 * Subscribes while mounted (a null topic subscribes nothing) and folds every snapshot and event
 * into state. The reducer runs for each message as it arrives; React renders at most once per
 * animation frame with the folded result, so bursts stay smooth and no event is skipped.
 */
export function useTopic<T extends Topic, S>(
  topic: T | null | undefined,
  reducer?: TopicReducer<T, S>,
  initialState?: S,
  options?: SubscribeOptions,
): S | undefined {
  const client = useTracklightClient();
  const [state, setState] = useState<S | undefined>(initialState);
  const reducerRef = useRef(reducer);
  reducerRef.current = reducer;
  const initialRef = useRef(initialState);
  const filterKey = JSON.stringify(options?.filter ?? null);
  useEffect(() => {
    if (!topic) return;
    let folded = initialRef.current;
    setState(folded);
    const batcher = new FrameBatcher(() => setState(() => folded));
    const subscription = client.subscribe(
      topic,
      (message) => {
        const fold = reducerRef.current;
        folded = fold ? fold(folded as S, message) : (message.data as S);
        batcher.schedule();
      },
      filterKey === 'null' ? {} : { filter: JSON.parse(filterKey) as SubscribeOptions['filter'] },
    );
    return () => {
      batcher.cancel();
      subscription.unsubscribe();
    };
  }, [client, topic, filterKey]);
  return state;
}
