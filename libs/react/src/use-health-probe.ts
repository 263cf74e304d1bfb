import { useEffect } from 'react';
import { useTracklightClient } from './context.js';
import { useConnectionStatus } from './use-websocket.js';

/**
 * While the client waits to reconnect, asks `healthUrl` every `intervalMs` and reconnects as soon
 * as the server answers 2xx: a long back-off after an outage would otherwise leave a healthy
 * server unused for up to its full delay. A back-off the server asked for (1008, 4429) is kept.
 */
export function useHealthProbe(healthUrl: string, intervalMs = 1000): void {
  const client = useTracklightClient();
  const status = useConnectionStatus();
  const probing = status.state === 'reconnecting' && status.lastClose.advice !== 'backoff-long';
  useEffect(() => {
    if (!probing) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const probe = async () => {
      try {
        const res = await fetch(healthUrl, { cache: 'no-store' });
        if (!stopped && res.ok) client.reconnectNow();
      } catch {
        // Still down: the next probe asks again.
      }
      if (!stopped) timer = setTimeout(() => void probe(), intervalMs);
    };
    timer = setTimeout(() => void probe(), intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, probing, healthUrl, intervalMs]);
}
