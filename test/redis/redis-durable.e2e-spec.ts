import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PackageUpdate } from '@tracklight/protocol';
import { DIRECT_LINGER_MS } from '../../apps/gateway/src/bus/durable/durable-event-bus.js';
import { EventBus, type BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import { EventLog } from '../../apps/gateway/src/bus/outbox/event-log.js';
import { startApp, type TestApp } from '../support/app.js';
import { expectEveryWriteOnce, subscriber, updates, writeKey, writeThenKill } from '../support/crash-rounds.js';
import { GatewayInstance } from '../support/instances.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
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

  it('a burst of direct publishes commits together: the log holds each with the id subscribers got, none left to relay', async () => {
    const t = await startApp({ DATA_DIR: dataDir });
    apps.push(t);
    const c = await connected(t.ws, '/ws/connect', { token: viewer() });
    clients.push(c);
    await c.request('subscribe', { topics: ['package_updates'] });
    const bus = t.app.get(EventBus);
    // Not awaited one by one: they share one linger window, so one transaction.
    const burst = Array.from({ length: 150 }, (_, n) => n);
    const published = await Promise.all(burst.map((n) => bus.publish('package_updates', 'package_update', update(n))));
    const ids = published.map((e) => e.id);
    await waitFor(() => received(c).length >= ids.length, 5_000, 'the burst, live');
    expect(received(c)).toEqual(ids);
    const log = t.app.get(EventLog);
    const stored = await log.store.range(['package_updates'], { after: '0-0' }, undefined, 1000);
    expect(stored.map((e) => e.id)).toEqual(ids);
    expect(stored.map((e) => e.data)).toEqual(burst.map(update));
    expect(await log.store.countUnrelayed()).toBe(0);
  });

  it('commits a lone direct publish on the next turn of the event loop, not after the linger window', async () => {
    const t = await startApp({ DATA_DIR: dataDir });
    apps.push(t);
    const bus = t.app.get(EventBus);
    // Nothing committed in the last window: the bus is idle.
    await new Promise((r) => setTimeout(r, 3 * DIRECT_LINGER_MS));
    const order: string[] = [];
    // Created before the publish: were the publish lingering, its own timer of the same length would fire after this one.
    const window = new Promise<void>((r) => setTimeout(() => r(void order.push('window')), DIRECT_LINGER_MS));
    const published = bus.publish('package_updates', 'package_update', update(1)).then(() => order.push('published'));
    await Promise.all([window, published]);
    expect(order).toEqual(['published', 'window']);
  });

  it('keeps no row of a direct publish when DURABLE_HISTORY_SECONDS=0 (nothing would read it back)', async () => {
    const t = await startApp({ DATA_DIR: dataDir, DURABLE_HISTORY_SECONDS: '0' });
    apps.push(t);
    const c = await connected(t.ws, '/ws/connect', { token: viewer() });
    clients.push(c);
    await c.request('subscribe', { topics: ['package_updates'] });
    const published = await Promise.all(
      [0, 1, 2].map((n) => t.app.get(EventBus).publish('package_updates', 'package_update', update(n))),
    );
    await waitFor(() => received(c).length >= 3, 5_000, 'the publishes, live');
    expect(received(c)).toEqual(published.map((e) => e.id));
    expect(await t.app.get(EventLog).store.range(['package_updates'], { after: '0-0' }, undefined, 10)).toEqual([]);
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

  it('after kill -9 recovers exactly: every event a client saw is in the event log with its id', async () => {
    const first = await start();
    const ids = await createSeen(first, 3);
    await first.kill9();
    const second = await start();
    const fresh = await createSeen(second, 1);
    const [c, recovered] = await resumeOn(second, ids[0]);
    expect(recovered).toBe(true);
    await waitFor(() => received(c).length >= 3, 5_000, 'stored events');
    await new Promise((r) => setTimeout(r, 100));
    expect(received(c)).toEqual([...ids.slice(1), ...fresh]);
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

/**
 * Issue 16 on two instances sharing PostgreSQL and Redis: writes go to A, which is SIGKILLed
 * right after a 2xx. Round 1 restarts it; round 2 never does, so B alone must relay what A
 * committed and left behind. A client on B follows throughout; a client on A resumes after each
 * kill (on the restarted A, then on B): recovered:true, and both get every acknowledged write
 * once.
 */
describeRedis('every acknowledged write across kill -9 of an instance on Redis', () => {
  let db: TestDatabase | undefined;
  const prefix = uniquePrefix('outbox-kill');
  const instances: GatewayInstance[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('event log across kill -9 on Redis');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const g of instances) await g.stop();
    await db?.drop();
    await cleanupPrefix(prefix);
  });

  it('a restarted instance, then a dead one whose leftovers the survivor relays', async () => {
    if (!db) return;
    const env = { DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix };
    const start = async (name: string) => {
      const g = await GatewayInstance.start(name, env);
      instances.push(g);
      return g;
    };
    const [a, b] = await Promise.all([start('gw-a'), start('gw-b')]);
    const [watcher] = await subscriber(b);
    clients.push(watcher);
    const resumed: TestClient[] = [];
    const processed = () => resumed.flatMap(updates);
    const [first] = await subscriber(a);
    resumed.push(first);
    const run = Date.now().toString(36).toUpperCase();
    const acknowledged = await writeThenKill(a, `RK${run}R0`, 25);
    await first.closed;

    const a2 = await start('gw-a2');
    const [second, recovered] = await subscriber(a2, processed().at(-1)?.id);
    resumed.push(second);
    expect(recovered).toBe(true);
    acknowledged.push(...(await writeThenKill(a2, `RK${run}R1`, 25)));
    await second.closed;

    // A2 stays dead: B relays its leftovers, and serves the resume.
    const [third, recoveredOnB] = await subscriber(b, processed().at(-1)?.id);
    resumed.push(third);
    expect(recoveredOnB).toBe(true);
    clients.push(...resumed);
    await expectEveryWriteOnce(processed, acknowledged, 'the client that resumed');
    await expectEveryWriteOnce(() => updates(watcher), acknowledged, 'the client on the survivor');
  }, 90_000);
});

const describeRedisServer = await describeWithRedis('the survivor relays a dead instance’s events', true);

/**
 * The rows a dead instance committed and never relayed: with a private Redis stopped, A answers
 * 2xx for writes it cannot relay, then is SIGKILLed. When Redis returns, B (which never saw those
 * writes) must relay them from the event log: its subscriber gets every one, in order, once.
 */
describeRedisServer('the survivor relays what a dead instance committed during a Redis outage', () => {
  it('every write A acknowledged reaches a subscriber of B after A died and Redis returned', async () => {
    const db = await createTestDatabase('survivor relays');
    if (!db) return;
    const server = await TestRedisServer.start();
    const instances: GatewayInstance[] = [];
    const clients: TestClient[] = [];
    try {
      const env = { DATABASE_URL: db.url, REDIS_URL: server.url, REDIS_PREFIX: 'tracklight-test:survivor:' };
      const [a, b] = await Promise.all([GatewayInstance.start('gw-a', env), GatewayInstance.start('gw-b', env)]);
      instances.push(a, b);
      const [watcher] = await subscriber(b);
      clients.push(watcher);

      await server.stop({ save: true });
      await waitFor(async () => (await fetch(`${a.http}/health`)).status === 503, 10_000, 'A to see Redis gone');
      const acknowledged: string[] = [];
      const run = Date.now().toString(36).toUpperCase();
      for (let i = 0; i < 4; i++) {
        const trackingNumber = `SV${run}${i}`;
        const res = await fetch(`${a.http}/packages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            trackingNumber,
            carrier: 'UPS',
            origin: { name: 'Memphis', latitude: 35.15, longitude: -90.05 },
            destination: { name: 'New York', latitude: 40.71, longitude: -74.0 },
            estimatedDelivery: '2030-01-02T15:00:00.000Z',
          }),
        });
        expect(res.status).toBe(201);
        acknowledged.push(writeKey((await res.json()) as { trackingNumber: string; version: number }));
      }
      await a.kill9();

      await server.start();
      await expectEveryWriteOnce(() => updates(watcher), acknowledged, 'the subscriber of the survivor');
      expect(updates(watcher).map((f) => writeKey(f.data as { trackingNumber: string; version: number }))).toEqual(
        acknowledged,
      );
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      for (const g of instances) await g.stop();
      await server.destroy();
      await db.drop();
    }
  }, 60_000);
});
