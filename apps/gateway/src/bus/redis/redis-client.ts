import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * One ioredis connection with the failure behaviour the bus and cluster rely on:
 * - no offline queue: a command while disconnected fails at once instead of waiting unseen;
 * - maxRetriesPerRequest 0: a command in flight when the connection drops is rejected rather
 *   than silently resent, so an XADD is never applied twice behind the caller's back;
 * - reconnect forever with a capped backoff, so the process never needs a restart.
 */
export function createRedisClient(url: string, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(url, {
    connectionName: `tracklight-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 5_000,
    keepAlive: 10_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
  });
  let down = false;
  // Without a listener ioredis prints every failed reconnect; one line per outage is enough.
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(`connection lost: ${err.message}`);
  });
  client.on('ready', () => {
    if (down) logger.log('connection restored');
    down = false;
  });
  return client;
}

/** Resolves true once `client` is ready, false after `timeoutMs`, on `end`, or when `signal` aborts. */
export function whenReady(client: Redis, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
      signal?.removeEventListener('abort', onEnd);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onEnd = () => done(false);
    const timer = setTimeout(onEnd, timeoutMs);
    client.on('ready', onReady);
    client.on('end', onEnd);
    signal?.addEventListener('abort', onEnd);
  });
}
