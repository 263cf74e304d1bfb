import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayProcess as startGateway } from '../support/gateway-process.js';
import { expectEveryWriteOnce, subscriber, updates, writeThenKill, writeUntilKilled } from '../support/crash-rounds.js';
import { GatewayInstance } from '../support/instances.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { viewer } from '../support/tokens.js';
import type { TestClient } from '../support/ws.js';

/**
 * Acknowledged writes survive kill -9: the gateway runs in a child process (from its sources,
 * through a small swc loader), gets a stream of creates and scans, and is SIGKILLed the moment
 * the Nth write is acknowledged while others are still in flight. A new process on the same
 * storage must then return every acknowledged write.
 */

const backends: [string, () => Promise<TestDatabase | undefined | null>][] = [
  ['SQLite', () => Promise.resolve(null)],
  ['PostgreSQL', () => createTestDatabase('durability (kill -9)')],
];

describe.each(backends)('acknowledged writes survive kill -9 on %s', (_backend, makeDb) => {
  let db: TestDatabase | undefined | null;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await makeDb();
    dataDir = mkdtempSync(join(tmpdir(), 'tracklight-durability-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every 2xx create and scan is there after a restart', async () => {
    if (db === undefined) return;
    const env: Record<string, string> = { DATA_DIR: dataDir, ...(db ? { DATABASE_URL: db.url } : {}) };
    const first = await startGateway(env);
    children.push(first.child);

    const prefix = `DUR${Date.now().toString(36).toUpperCase()}`;
    const writes = await writeUntilKilled(first, prefix, 40);
    expect(await first.exited).toBe('SIGKILL');
    expect(writes.length).toBeGreaterThanOrEqual(40);
    // Per package, the statuses acknowledged after its creation, in the order they were answered.
    const acknowledgedScans = new Map<string, string[]>();
    for (const w of writes) {
      if (w.status === 'created') acknowledgedScans.set(w.trackingNumber, []);
      else acknowledgedScans.get(w.trackingNumber)?.push(w.status);
    }

    const second = await startGateway(env);
    children.push(second.child);
    try {
      for (const [trackingNumber, scans] of acknowledgedScans) {
        const res = await fetch(`${second.base}/packages/${trackingNumber}`, {
          headers: { authorization: `Bearer ${viewer()}` },
        });
        expect(res.status).toBe(200);
        const body = JSON.parse(await res.text());
        const recorded = (body.scans as { status: string }[]).map((s) => s.status).reverse();
        // Every acknowledged scan is in the history, in order, after the creation. A write that was
        // in flight at the kill may have committed without its answer arriving: it may follow.
        expect(recorded.slice(0, scans.length + 1)).toEqual(['created', ...scans]);
        expect(body.status).toBe(recorded[recorded.length - 1]);
      }
    } finally {
      second.child.kill('SIGKILL');
      await second.exited;
    }
  }, 120_000);
});

/**
 * Issue 16: kill -9 during concurrent writes, several rounds on the same storage. A client on
 * `package_updates` follows along, and after each restart resumes with the last id it processed:
 * the resume is recovered:true, and over all rounds it got every acknowledged write's event
 * exactly once, ids only growing.
 */
describe.each(backends)('every acknowledged write reaches a resuming subscriber across kill -9 on %s', (_b, makeDb) => {
  let db: TestDatabase | undefined | null;
  let dataDir: string;
  const instances: GatewayInstance[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    db = await makeDb();
    dataDir = mkdtempSync(join(tmpdir(), 'tracklight-outbox-'));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const g of instances) await g.kill9();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('3 rounds: recovered:true after each restart, no gap, no duplicate', async () => {
    if (db === undefined) return;
    const env: Record<string, string> = { DATA_DIR: dataDir, ...(db ? { DATABASE_URL: db.url } : {}) };
    const start = async () => {
      const g = await GatewayInstance.start('gw-crash', env);
      instances.push(g);
      return g;
    };
    const prefix = `OB${Date.now().toString(36).toUpperCase()}`;
    const processed = () => clients.flatMap(updates);
    const acknowledged: string[] = [];
    let instance = await start();
    for (let round = 0; round < 3; round++) {
      const since = processed().at(-1)?.id;
      const [c, recovered] = await subscriber(instance, since);
      clients.push(c);
      if (since) expect(recovered).toBe(true);
      acknowledged.push(...(await writeThenKill(instance, `${prefix}R${round}`, 25)));
      await c.closed;
      instance = await start();
    }
    const [last, recovered] = await subscriber(instance, processed().at(-1)?.id);
    clients.push(last);
    expect(recovered).toBe(true);
    await expectEveryWriteOnce(processed, acknowledged, 'after 3 kill -9 rounds');
  }, 120_000);
});
