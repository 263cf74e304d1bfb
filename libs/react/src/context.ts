import { createContext, useContext } from 'react';
import type { TracklightClient } from '@tracklight/client';

export const TracklightContext = createContext<TracklightClient | null>(null);

/** The provider's shared client; throws outside a TracklightProvider, where no connection exists. */
export function useTracklightClient(): TracklightClient {
  const client = useContext(TracklightContext);
  if (!client) throw new Error('useTracklightClient/useWebSocket/useTopic need a <TracklightProvider> above them');
  return client;
}
