import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackageUpdate } from '@tracklight/protocol';
import { EventBus, type BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import { startApp, type TestApp } from '../support/app.js';
import { GatewayInstance } from '../support/instances.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { Redis } from 'ioredis';
import { streamKey } from '../../apps/gateway/src/bus/redis/redis-event-bus.js';
import { REDIS_URL, TestRedisServer, cleanupPrefix, describeWithRedis, uniquePrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { ops, viewer } from '../support/tokens.js';
import { connected, packageUpdate, type TestClient } from '../support/ws.js';

/**
 * Durable gap-fill: a resume whose `since` the hot history no longer holds is served from storage
 * (package updates, anomalies, schedules) within DURABLE_HISTORY_SECONDS, with no gap and no
 * duplicate; other topics, or a `since` past the window, get recovered:false and snapshots.
 */
const describeRedis = await describeWithRedis('Durable gap-fill on Redis');
const describeRedisServer = await describeWithRedis('Durable gap-fill across a reader gap', true);

const update = (n: number): PackageUpdate => packageUpdate({ trackingNumber: `DUR${n}`, packageId: `p${n}` });

async function publishUpdates(t: TestApp, from: number, count: number): Promise<BusEvent[]> {
  const bus = t.app.get(EventBus);
  const out: BusEvent[] = [];
  for (let n = from; n < from + count; n++) out.push(await bus.publish('package_updates', 'package_update', update(n)));
  return out;
}

/** Subscribes with `since` on a fresh connection; returns the reply and the client. */
async function resume(t: TestApp, topics: string[], since: string): Promise<[TestClient, boolean]> {
  const c = await connected(t.ws, '/ws/connect', { token: viewer() });
  const reply = await c.request('subscribe', { topics, since });
  expect(reply.type).toBe('subscribed');
  return [c, reply.data.recovered as boolean];
}

const received = (c: TestClient) => c.all((f) => f.type === 'package_update').map((f) => f.id);

describe('durable gap-fill on the in-process bus (SQLite)', () => {
  let dataDir: string;
  const apps: TestApp[] = [];
  const clients: TestClient[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tracklight-durable-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const t of apps.splice(0)) await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('recovers across a restart, when the hot history is empty, without gap or duplicate', async () => {
    const first = await startApp({ DATA_DIR: dataDir });
    apps.push(first);
    const before = await publishUpdates(first, 0, 5);
    await first.close();
    apps.pop();

    const second = await startApp({ DATA_DIR: dataDir });
    apps.push(second);
    const [c, recovered] = await resume(second, ['package_updates'], before[1].id);
    clients.push(c);
    expect(recovered).toBe(true);
    const live = await publishUpdates(second, 5, 2);
    const expected = [...before.slice(2), ...live].map((e) => e.id);
    await waitFor(() => received(c).length >= expected.length, 5_000, 'replayed and live events');
    await new Promise((r) => setTimeout(r, 100));
    expect(received(c)).toEqual(expected);
    expect(c.all((f) => f.type === 'package_update')[0].data).toEqual(update(2));

    // Positions are not kept in storage: that resume needs snapshots.
    const [m, mapRecovered] = await resume(second, ['map_updates'], before[1].id);
    clients.push(m);
    expect(mapRecovered).toBe(false);
  });

  it('does not claim a resume from ids it never stored', async () => {
    const t = await startApp({ DATA_DIR: dataDir });
    apps.push(t);
    await publishUpdates(t, 0, 2);
    const [c, recovered] = await resume(t, ['package_updates'], `${Date.now() - 3_600_000}-0`);
    clients.push(c);
    expect(recovered).toBe(false);
  });
});

describe('durable gap-fill of one gateway process: clean restart versus kill -9', () => {
  let dataDir: string;
  const instances: GatewayInstance[] = [];
  const clients: TestClient[] = [];
  const run = Date.now().toString(36).toUpperCase();
  let n = 0;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tracklight-durable-proc-'));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const g of instances.splice(0)) await g.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<GatewayInstance> {
    const g = await GatewayInstance.start('gw-durable', { DATA_DIR: dataDir });
    instances.push(g);
    return g;
  }

  /** Creates packages and returns the ids of their package_updates events, as a client saw them. */
  async function createSeen(g: GatewayInstance, count: number): Promise<string[]> {
    const c = await connected(g.ws, '/ws/packages', { token: viewer() });
    clients.push(c);
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${g.http}/packages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          trackingNumber: `DP${run}${n++}`,
          carrier: 'UPS',
          origin: { name: 'Memphis', latitude: 35.15, longitude: -90.05 },
          destination: { name: 'New York', latitude: 40.71, longitude: -74.0 },
          estimatedDelivery: '2030-01-02T15:00:00.000Z',
        }),
      });
      expect(res.status).toBe(201);
    }
    await waitFor(() => received(c).length >= count, 5_000, 'package updates');
    return received(c) as string[];
  }

  function storedCount(ids: string[]): number {
    const db = new Database(join(dataDir, 'tracklight.sqlite'), { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare(
          `SELECT COUNT(*) AS n FROM tracklight_durable_events_v2 WHERE ms || '-' || seq IN (${ids.map(() => '?').join(',')})`,
        )
        .get(...ids) as { n: number };
      return row.n;
    } catch {
      return 0;
    } finally {
      db.close();
    }
  }

  async function resumeOn(g: GatewayInstance, since: string): Promise<[TestClient, boolean]> {
    const c = await connected(g.ws, '/ws/connect', { token: viewer() });
    clients.push(c);
    const reply = await c.request('subscribe', { topics: ['package_updates'], since });
    return [c, reply.data.recovered as boolean];
  }

  it('recovers after a clean restart', async () => {
    const first = await start();
    const ids = await createSeen(first, 3);
    await first.stop();
    const second = await start();
    // Published by the new process before the resume: the answer must join both runs.
    const fresh = await createSeen(second, 1);
    const [c, recovered] = await resumeOn(second, ids[0]);
    expect(recovered).toBe(true);
    await waitFor(() => received(c).length >= 3, 5_000, 'stored events');
    await new Promise((r) => setTimeout(r, 100));
    expect(received(c)).toEqual([...ids.slice(1), ...fresh]);
  }, 90_000);

  it('after kill -9 answers recovered:false rather than claim a range it cannot prove', async () => {
    const first = await start();
    const ids = await createSeen(first, 3);
    // The events are in storage: what is refused is the unprovable range after the last batch.
    await waitFor(() => storedCount(ids) === ids.length, 5_000, 'events recorded');
    await first.kill9();
    const second = await start();
    const [, recovered] = await resumeOn(second, ids[0]);
    expect(recovered).toBe(false);
  }, 90_000);
});

const storages: [string, () => Promise<TestDatabase | undefined | null>][] = [
  ['SQLite', () => Promise.resolve(null)],
  ['PostgreSQL', () => createTestDatabase('durable gap-fill')],
];

describeRedis.each(storages)('durable gap-fill past the trimmed Redis stream, storage on %s', (_name, makeDb) => {
  const apps: TestApp[] = [];
  const clients: TestClient[] = [];
  let prefix: string;
  let db: TestDatabase | undefined | null;

  beforeAll(async () => {
    db = await makeDb();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(() => {
    prefix = uniquePrefix('durable');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const t of apps.splice(0)) await t.close();
    await cleanupPrefix(prefix);
  });

  async function app(env: Record<string, string> = {}): Promise<TestApp | undefined> {
    if (db === undefined) return undefined; // PostgreSQL absent outside CI: reported by createTestDatabase
    const t = await startApp({
      REDIS_URL,
      REDIS_PREFIX: prefix,
      HISTORY_MAX_EVENTS: '3',
      HISTORY_MAX_AGE_SECONDS: '1',
      ...(db ? { DATABASE_URL: db.url } : {}),
      ...env,
    });
    apps.push(t);
    return t;
  }

  it('serves the part Redis trimmed from storage and the rest from the stream', async () => {
    const t = await app();
    if (!t) return;
    const old = await publishUpdates(t, 0, 8);
    await new Promise((r) => setTimeout(r, 1_100));
    const recent = await publishUpdates(t, 8, 2);
    // The instance's own memory keeps the same retention as Redis: neither has old[2] any more.
    const [c, recovered] = await resume(t, ['package_updates'], old[2].id);
    clients.push(c);
    expect(recovered).toBe(true);
    const expected = [...old.slice(3), ...recent].map((e) => e.id);
    await waitFor(() => received(c).length >= expected.length, 5_000, 'gap-filled events');
    const live = await publishUpdates(t, 10, 1);
    await waitFor(() => received(c).length >= expected.length + 1, 5_000, 'live event');
    await new Promise((r) => setTimeout(r, 100));
    expect(received(c)).toEqual([...expected, live[0].id]);
  });

  it('gives up past DURABLE_HISTORY_SECONDS', async () => {
    const t = await app({ DURABLE_HISTORY_SECONDS: '1' });
    if (!t) return;
    const old = await publishUpdates(t, 0, 5);
    await new Promise((r) => setTimeout(r, 1_100));
    await publishUpdates(t, 5, 1);
    const [c, recovered] = await resume(t, ['package_updates'], old[0].id);
    clients.push(c);
    expect(recovered).toBe(false);
  });
});

describeRedisServer('durable gap-fill and an instance whose reader missed trimmed entries', () => {
  it('does not vouch for the range its reader never saw', async () => {
    const server = await TestRedisServer.start();
    const prefix = 'tracklight-test:durable-gap:';
    const t = await startApp({ REDIS_URL: server.url, REDIS_PREFIX: prefix });
    const admin = new Redis(server.url);
    const clients: TestClient[] = [];
    try {
      const [first] = await publishUpdates(t, 0, 1);
      await new Promise((r) => setTimeout(r, 500)); // recorded
      const list = (await admin.client('LIST')) as string;
      const reader = /id=(\d+)[^\n]*name=tracklight-bus-reader/.exec(list)![1];
      // In one write: cut the reader off, publish past it, trim what it has not read.
      const key = streamKey(prefix);
      const tx = admin.pipeline().client('KILL', 'ID', reader);
      for (let n = 1; n <= 10; n++) {
        tx.xadd(key, '*', 't', 'package_updates', 'y', 'package_update', 'd', JSON.stringify(update(n)));
      }
      tx.xtrim(key, 'MAXLEN', 2);
      await tx.exec();
      const kept = (await admin.xrange(key, '-', '+')).map(([id]) => id);
      const bus = t.app.get(EventBus);
      await waitFor(() => bus.lastEventId() === kept[1], 10_000, 'the surviving entries');
      await new Promise((r) => setTimeout(r, 500)); // recorded

      const [c, recovered] = await resume(t, ['package_updates'], first.id);
      clients.push(c);
      expect(recovered).toBe(false);
      // After the gap, resuming works again.
      const [d, after] = await resume(t, ['package_updates'], kept[0]);
      clients.push(d);
      expect(after).toBe(true);
      await waitFor(() => received(d).length >= 1, 5_000, 'event after the gap');
      expect(received(d)).toEqual([kept[1]]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      admin.disconnect();
      await t.close();
      await server.destroy();
    }
  }, 30_000);
});
