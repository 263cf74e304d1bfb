import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import type { Reply } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { ops, viewer } from '../support/tokens.js';

/**
 * Batch ingest under kill -9: four senders post batches of POST /scans; the gateway is SIGKILLed
 * the moment the Nth batch is answered while others are in flight. After a restart every scan a
 * batch answered 201 for is in its package's history, in order; sending the unanswered batches
 * again (what a sender does) completes each history without a duplicate.
 */

const SENDERS = 4;
const PACKAGES_PER_SENDER = 5;
const SCANS_PER_PACKAGE_PER_BATCH = 10;
const KILL_AFTER_BATCHES = 6;

const statusAt = (k: number) => (k === 0 ? 'picked_up' : k % 2 === 1 ? 'in_transit' : 'at_facility');

async function post(gw: GatewayProcess, path: string, body: unknown): Promise<Reply | undefined> {
  try {
    const res = await fetch(`${gw.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return undefined; // Connection cut by the kill: not answered.
  }
}

async function history(gw: GatewayProcess, trackingNumber: string): Promise<(string | undefined)[]> {
  const res = await fetch(`${gw.base}/packages/${trackingNumber}/scans?limit=500`, {
    headers: { authorization: `Bearer ${viewer()}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { scanId?: string }[] }).items.map((s) => s.scanId);
}

const backends: [string, () => Promise<TestDatabase | undefined | null>][] = [
  ['SQLite', () => Promise.resolve(null)],
  ['PostgreSQL', () => createTestDatabase('ingest durability (kill -9)')],
];

describe.each(backends)('batch ingest survives kill -9 on %s', (_backend, makeDb) => {
  let db: TestDatabase | undefined | null;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await makeDb();
    dataDir = mkdtempSync(join(tmpdir(), 'tracklight-ingest-durability-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every scan of an answered batch is there after a restart, and a resent batch completes without duplicates', async () => {
    // createTestDatabase already failed the run under CI=true when PostgreSQL is absent.
    if (db === undefined) return;
    const env: Record<string, string> = { DATA_DIR: dataDir, ...(db ? { DATABASE_URL: db.url } : {}) };
    const first = await startGatewayProcess(env);
    children.push(first.child);

    const prefix = `ING${Date.now().toString(36).toUpperCase()}`;
    const packagesOf = (sender: number) =>
      Array.from({ length: PACKAGES_PER_SENDER }, (_, p) => `${prefix}S${sender}P${p}`);
    for (let s = 0; s < SENDERS; s++) {
      for (const trackingNumber of packagesOf(s)) {
        const res = await post(first, '/packages', {
          trackingNumber,
          carrier: 'UPS',
          origin: { name: 'Chicago', latitude: 41.88, longitude: -87.63 },
          destination: { name: 'Denver', latitude: 39.74, longitude: -104.99 },
          estimatedDelivery: '2030-01-01T00:00:00Z',
        });
        expect(res?.status).toBe(201);
      }
    }

    const acknowledged = new Map<string, string[]>();
    const unanswered: unknown[][] = [];
    let answered = 0;
    let killed = false;
    const sender = async (s: number) => {
      for (let round = 0; !killed; round++) {
        const scans = packagesOf(s).flatMap((trackingNumber) =>
          Array.from({ length: SCANS_PER_PACKAGE_PER_BATCH }, (_, i) => {
            const k = round * SCANS_PER_PACKAGE_PER_BATCH + i;
            return {
              trackingNumber,
              scanId: `${trackingNumber}-${k}`,
              status: statusAt(k),
              location: 'Hub',
              latitude: 40,
              longitude: -95,
            };
          }),
        );
        const res = await post(first, '/scans', { scans });
        if (res?.status !== 200) {
          unanswered.push(scans);
          return;
        }
        // The answer is in hand: every 201 in it must survive whatever happens to the process.
        for (const [i, r] of (res.body.results as { status: number }[]).entries()) {
          expect(r.status).toBe(201);
          const scan = scans[i];
          acknowledged.set(scan.trackingNumber, [...(acknowledged.get(scan.trackingNumber) ?? []), scan.scanId]);
        }
        if (++answered >= KILL_AFTER_BATCHES && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    expect(await first.exited).toBe('SIGKILL');
    expect(answered).toBeGreaterThanOrEqual(KILL_AFTER_BATCHES);

    const second = await startGatewayProcess(env);
    children.push(second.child);
    try {
      for (let s = 0; s < SENDERS; s++) {
        for (const trackingNumber of packagesOf(s)) {
          const ids = acknowledged.get(trackingNumber) ?? [];
          // Creation first, then every acknowledged scan in order; a scan of the batch in flight
          // at the kill may have committed without its answer arriving: it may follow.
          expect((await history(second, trackingNumber)).slice(0, ids.length + 1)).toEqual([undefined, ...ids]);
        }
      }
      // A sender retries what was not answered: committed scans replay (200), the rest apply (201).
      for (const scans of unanswered) {
        const res = await post(second, '/scans', { scans });
        expect(res?.status).toBe(200);
        for (const r of res?.body.results as { status: number }[]) expect([200, 201]).toContain(r.status);
      }
      for (let s = 0; s < SENDERS; s++) {
        for (const trackingNumber of packagesOf(s)) {
          const ids = await history(second, trackingNumber);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.slice(1)).toEqual(ids.slice(1).map((_, k) => `${trackingNumber}-${k}`));
        }
      }
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  }, 180_000);
});
