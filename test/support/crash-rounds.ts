import type { ChildProcess } from 'node:child_process';
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

/** A gateway process to write to and kill: a GatewayInstance, or what startGatewayProcess returns. */
export type KillTarget = { child: ChildProcess; exited: Promise<unknown> } & ({ http: string } | { base: string });

/** One write answered 2xx: a creation (`status` 'created') or a scan. */
export interface AcknowledgedWrite {
  trackingNumber: string;
  version: number;
  status: string;
}

/**
 * Four writers create packages and scan each through STATUSES on `target` until `acks` writes
 * were answered 2xx, then SIGKILL it while the others are still in flight. Returns the
 * acknowledged writes in the order their answers arrived (per package: creation, then its scans).
 */
export async function writeUntilKilled(target: KillTarget, prefix: string, acks: number): Promise<AcknowledgedWrite[]> {
  const base = 'http' in target ? target.http : target.base;
  const acknowledged: AcknowledgedWrite[] = [];
  let killed = false;
  const post = async (path: string, body: unknown, status: string): Promise<boolean> => {
    try {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) return false;
      const answer = (await res.json()) as { trackingNumber: string; version: number };
      // The 2xx is in hand: from here on the write and its event must survive, whatever happens.
      acknowledged.push({ trackingNumber: answer.trackingNumber, version: answer.version, status });
      if (acknowledged.length >= acks && !killed) {
        killed = true;
        target.child.kill('SIGKILL');
      }
      return true;
    } catch {
      return false; // Cut by the kill: not acknowledged.
    }
  };
  const writer = async (w: number) => {
    for (let i = 0; !killed; i++) {
      const trackingNumber = `${prefix}W${w}N${i}`;
      const created = await post(
        '/packages',
        {
          trackingNumber,
          carrier: 'UPS',
          origin: { name: 'Chicago', latitude: 41.88, longitude: -87.63 },
          destination: { name: 'Denver', latitude: 39.74, longitude: -104.99 },
          estimatedDelivery: '2030-01-01T00:00:00Z',
        },
        'created',
      );
      if (!created) continue;
      for (const status of STATUSES) {
        if (killed) break;
        const body = { status, location: `Hub ${status}`, latitude: 40, longitude: -95 };
        if (!(await post(`/packages/${trackingNumber}/scans`, body, status))) break;
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(writer));
  await target.exited;
  return acknowledged;
}

/** writeUntilKilled's acknowledged writes as `trackingNumber:version` keys (see writeKey). */
export async function writeThenKill(target: KillTarget, prefix: string, acks: number): Promise<string[]> {
  return (await writeUntilKilled(target, prefix, acks)).map(writeKey);
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
