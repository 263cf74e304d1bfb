import type { TracklightClient } from '../tracklight-client.js';
import type { ConnectionStatus } from '../types.js';

/** Resolves with the first status (current or future) that matches. */
export function waitForStatus(
  client: TracklightClient,
  predicate: (status: ConnectionStatus) => boolean,
  timeoutMs = 5000,
): Promise<ConnectionStatus> {
  if (predicate(client.status)) return Promise.resolve(client.status);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`status never matched; last: ${JSON.stringify(client.status)}`));
    }, timeoutMs);
    const off = client.on('status', (status) => {
      if (!predicate(status)) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });
}

/** Polls until the condition holds: for state that is not announced by an event. */
export async function until(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An unsigned JWT-shaped token: enough for servers that do not verify (the mini server). */
export function fakeToken(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.c2ln`;
}
