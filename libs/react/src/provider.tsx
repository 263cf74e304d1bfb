import { useEffect, useState, type ReactNode } from 'react';
import { TracklightClient, type ClientOptions } from '@tracklight/client';
import { TracklightContext } from './context.js';
import { retainConnection } from './shared-connection.js';

export type TracklightProviderProps =
  | { client: TracklightClient; options?: undefined; children?: ReactNode }
  | { client?: undefined; options: ClientOptions; children?: ReactNode };

/**
 * Owns one shared connection for everything below it. Pass a ready `client`, or `options` to let
 * the provider create one (created once; later changes to `options` are ignored: remount with a
 * `key` to reconnect with new settings, e.g. another user's token).
 */
export function TracklightProvider(props: TracklightProviderProps): ReactNode {
  const [client] = useState(() => props.client ?? new TracklightClient({ ...props.options, autoConnect: false }));
  useEffect(() => retainConnection(client), [client]);
  return <TracklightContext.Provider value={client}>{props.children}</TracklightContext.Provider>;
}
