import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type {
  ConnectionStatus,
  SubscribeOptions,
  Subscription,
  TopicMessage,
  TracklightClient,
} from '@tracklight/client';
import type { ClientFrame, ServerFrame, Topic } from '@tracklight/protocol';
import { useTracklightClient } from './context.js';
import { FrameBatcher } from './frame-batcher.js';

/** The connection status, re-rendering on every change. */
export function useConnectionStatus(): ConnectionStatus {
  const client = useTracklightClient();
  const subscribe = useCallback((onChange: () => void) => client.on('status', onChange), [client]);
  return useSyncExternalStore(subscribe, () => client.status);
}

export interface UseWebSocketResult {
  status: ConnectionStatus;
  isConnected: boolean;
  /** The newest frame received; updated at most once per animation frame. */
  lastMessage: ServerFrame | undefined;
  /** Sends a client frame; queued while disconnected. False when the client is closed or the queue is full. */
  sendMessage: (frame: ClientFrame) => boolean;
  subscribe: <T extends Topic>(
    topic: T,
    handler: (message: TopicMessage<T>) => void,
    options?: SubscribeOptions,
  ) => Subscription;
  /** Removes the handlers this component subscribed to the topic (all of them go on unmount). */
  unsubscribe: (topic: string) => void;
  client: TracklightClient;
}

export function useWebSocket(): UseWebSocketResult {
  const client = useTracklightClient();
  const status = useConnectionStatus();
  const [lastMessage, setLastMessage] = useState<ServerFrame | undefined>(undefined);
  const latest = useRef<ServerFrame | undefined>(undefined);
  useEffect(() => {
    const batcher = new FrameBatcher(() => setLastMessage(latest.current));
    const off = client.on('message', (frame) => {
      latest.current = frame;
      batcher.schedule();
    });
    return () => {
      off();
      batcher.cancel();
    };
  }, [client]);
  const sendMessage = useCallback((frame: ClientFrame) => client.send(frame), [client]);
  // Subscriptions made through this hook belong to the component: `unsubscribe(topic)` and unmount
  // remove only these handlers, never those of other components on the same topic.
  const owned = useRef(new Map<string, Set<Subscription>>());
  useEffect(() => {
    const subscriptions = owned.current;
    return () => {
      for (const set of subscriptions.values()) for (const sub of set) sub.unsubscribe();
      subscriptions.clear();
    };
  }, [client]);
  const subscribe = useCallback(
    <T extends Topic>(topic: T, handler: (message: TopicMessage<T>) => void, options?: SubscribeOptions) => {
      const sub = client.subscribe(topic, handler, options);
      const set = owned.current.get(topic) ?? new Set<Subscription>();
      set.add(sub);
      owned.current.set(topic, set);
      return sub;
    },
    [client],
  );
  const unsubscribe = useCallback((topic: string) => {
    for (const sub of owned.current.get(topic) ?? []) sub.unsubscribe();
    owned.current.delete(topic);
  }, []);
  return { status, isConnected: status.state === 'open', lastMessage, sendMessage, subscribe, unsubscribe, client };
}
