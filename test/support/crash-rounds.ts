import type { GatewayInstance } from './instances.js';
import { ops, viewer } from './tokens.js';
import { waitFor } from './wait.js';
import { connected, type Frame, type TestClient } from './ws.js';

/**
 * Shared by the kill -9 suites of the event log (issue 16): concurrent writes to one instance
 * that is SIGKILLed right after the Nth 2xx, and a subscriber's view of `package_updates` before
 * and after. A write is identified by `trackingNumber:version` (its answer carries the version,
 * and so does its package_update), so "every 2xx write's event reached the subscriber, once" is
 * a set comparison.
 */

const STATUSES = ['picked_up', 'in_transit', 'at_facility', 'out_for_delivery', 'delivered'];

export const writeKey = (data: { trackingNumber: unknown; version: unknown }): string =>
  `${String(data.trackingNumber)}:${String(data.version)}`;

/**
 * Four writers create and scan packages on `target` until `acks` writes were answered 2xx, then
 * SIGKILL it while the others are still in flight. Returns the keys of the acknowledged writes.
 */
export async function writeThenKill(target: GatewayInstance, prefix: string, acks: number): Promise<string[]> {
  const acknowledged: string[] = [];
  let killed = false;
  const post = async (
    path: string,
    body: unknown,
  ): Promise<{ trackingNumber: string; version: number } | undefined> => {
    try {
      const res = await fetch(`${target.http}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) return undefined;
      const answer = (await res.json()) as { trackingNumber: string; version: number };
      // The 2xx is in hand: from here on its event must reach subscribers, whatever happens.
      acknowledged.push(writeKey(answer));
      if (acknowledged.length >= acks && !killed) {
        killed = true;
        target.child.kill('SIGKILL');
      }
      return answer;
    } catch {
      return undefined; // Cut by the kill: not acknowledged.
    }
  };
  const writer = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const trackingNumber = `${prefix}W${w}N${i}`;
      const created = await post('/packages', {
        trackingNumber,
        carrier: 'UPS',
        origin: { name: 'Chicago', latitude: 41.88, longitude: -87.63 },
        destination: { name: 'Denver', latitude: 39.74, longitude: -104.99 },
        estimatedDelivery: '2030-01-01T00:00:00Z',
      });
      if (!created) continue;
      for (const status of STATUSES) {
        if (killed) break;
        const scanned = await post(`/packages/${trackingNumber}/scans`, {
          status,
          location: `Hub ${status}`,
          latitude: 40,
          longitude: -95,
        });
        if (!scanned) break;
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(writer));
  await target.exited;
  return acknowledged;
}

/** A viewer subscribed to `package_updates` (optionally resuming); returns the client and `recovered`. */
export async function subscriber(instance: GatewayInstance, since?: string): Promise<[TestClient, boolean]> {
  const c = await connected(instance.ws, '/ws/connect', { token: viewer() });
  const reply = await c.request('subscribe', { topics: ['package_updates'], ...(since ? { since } : {}) });
  if (reply.type !== 'subscribed') throw new Error(`subscribe refused: ${JSON.stringify(reply)}`);
  return [c, reply.data.recovered === true];
}

export const updates = (c: TestClient): Frame[] => c.all((f) => f.type === 'package_update');

/**
 * Waits until the frames (in the order a client processed them, across its connections) hold
 * every acknowledged write, then checks that no event id and no write came twice and that ids
 * only grew.
 */
export async function expectEveryWriteOnce(
  frames: () => Frame[],
  acknowledged: readonly string[],
  what: string,
): Promise<void> {
  const missing = () => {
    const seen = new Set(frames().map((f) => writeKey(f.data as { trackingNumber: unknown; version: unknown })));
    return acknowledged.filter((k) => !seen.has(k));
  };
  await waitFor(() => missing().length === 0, 15_000, `${what}: every acknowledged write's event`).catch(() => {
    throw new Error(
      `${what}: ${missing().length} acknowledged writes never delivered: ${missing().slice(0, 5).join(', ')}`,
    );
  });
  await new Promise((r) => setTimeout(r, 200));
  const all = frames();
  const ids = all.map((f) => f.id as string);
  expect(new Set(ids).size).toBe(ids.length);
  const keys = all.map((f) => writeKey(f.data as { trackingNumber: unknown; version: unknown }));
  expect(new Set(keys).size).toBe(keys.length);
  const parts = ids.map((id) => id.split('-').map(Number));
  for (let i = 1; i < parts.length; i++) {
    expect(parts[i][0] > parts[i - 1][0] || (parts[i][0] === parts[i - 1][0] && parts[i][1] > parts[i - 1][1])).toBe(
      true,
    );
  }
}
