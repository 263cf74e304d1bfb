import { compareEventIds } from '../../apps/gateway/src/bus/event-id.js';
import { GatewayInstance } from '../support/instances.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { TestRedisServer, cleanupPrefix, describeWithRedis, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { connect, connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * Two real gateway processes on one Redis (and one PostgreSQL when available) behave as one
 * deployment: events cross instances, ids are one global order, a client resumes on either
 * instance, a kill -9 costs only that instance's connections, and a Redis outage heals itself.
 */
const describeRedis = await describeWithRedis('Gateway cluster (two processes)');
const describeRedisServer = await describeWithRedis('Gateway cluster through a Redis outage', true);

const run = Date.now().toString(36).toUpperCase();
let seq = 0;
const trackingNumber = () => `CL${run}${(seq++).toString().padStart(4, '0')}`;

async function createPackage(instance: GatewayInstance, tn = trackingNumber()): Promise<Response> {
  return fetch(`${instance.http}/packages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      trackingNumber: tn,
      carrier: 'FedEx',
      origin: { name: 'Memphis', latitude: 35.15, longitude: -90.05 },
      destination: { name: 'New York', latitude: 40.71, longitude: -74.0 },
      estimatedDelivery: '2030-01-02T15:00:00.000Z',
    }),
  });
}

async function created(instance: GatewayInstance): Promise<string> {
  const tn = trackingNumber();
  const res = await createPackage(instance, tn);
  expect(res.status).toBe(201);
  return tn;
}

const isUpdate = (f: Frame) => f.type === 'package_update' && f.topic === 'package_updates';
const updates = (c: TestClient) => c.all(isUpdate);
const trackingNumbers = (frames: Frame[]) => frames.map((f) => f.data.trackingNumber as string);

function expectIncreasing(frames: Frame[]): void {
  for (let i = 1; i < frames.length; i++) expect(compareEventIds(frames[i - 1].id!, frames[i].id!)).toBeLessThan(0);
}

async function updatesFor(c: TestClient, tns: string[], timeoutMs = 10_000): Promise<Frame[]> {
  await waitFor(
    () => tns.every((tn) => trackingNumbers(updates(c)).includes(tn)),
    timeoutMs,
    `updates ${tns.join(',')}`,
  );
  return updates(c);
}

describeRedis('two gateway processes on one Redis', () => {
  let db: TestDatabase | undefined;
  let a: GatewayInstance;
  let b: GatewayInstance;
  const clients: TestClient[] = [];
  const prefix = uniquePrefix('instances');

  let users = 0;
  async function client(
    instance: GatewayInstance,
    path = '/ws/packages',
    user = `viewer${users++}`,
  ): Promise<TestClient> {
    const c = await connected(instance.ws, path, { token: viewer(user) });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    db = await createTestDatabase('gateway cluster');
    const env: Record<string, string> = {
      REDIS_URL,
      REDIS_PREFIX: prefix,
      WS_MAX_CONNECTIONS_PER_USER: '2',
      ...(db ? { DATABASE_URL: db.url } : {}),
    };
    // One after the other: both would otherwise run the same migrations at once.
    a = await GatewayInstance.start('gw-a', env);
    b = await GatewayInstance.start('gw-b', env);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
    await cleanupPrefix(prefix);
  }, 30_000);

  it('delivers an event published through one instance to clients of both', async () => {
    const onA = await client(a);
    const onB = await client(b);
    expect((await onB.request('ping')).type).toBe('pong');
    const tn = await created(a);
    const [fromB] = (await updatesFor(onB, [tn])).filter((f) => f.data.trackingNumber === tn);
    const [fromA] = (await updatesFor(onA, [tn])).filter((f) => f.data.trackingNumber === tn);
    expect(fromB.id).toMatch(/^\d+-\d+$/);
    expect(fromB.id).toBe(fromA.id);
    expect(fromB.data).toMatchObject({ trackingNumber: tn, status: 'created', carrier: 'FedEx' });
  }, 30_000);

  it('keeps one strictly increasing order at every client under concurrent publishers on both', async () => {
    const onA = await client(a);
    const onB = await client(b);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => createPackage(i % 2 ? a : b)));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(201));
    const tns = await Promise.all(
      results.map(async (r) => ((await r.json()) as { trackingNumber: string }).trackingNumber),
    );
    const seenA = await updatesFor(onA, tns);
    const seenB = await updatesFor(onB, tns);
    expect(seenA).toHaveLength(30);
    expectIncreasing(seenA);
    expect(seenA.map((f) => f.id)).toEqual(seenB.map((f) => f.id));
    expect(new Set(trackingNumbers(seenA))).toEqual(new Set(tns));
  }, 60_000);

  it('resumes on the other instance with the since of the first: no gap, no duplicate', async () => {
    const onA = await client(a);
    const first = [await created(a), await created(b)];
    const seen = await updatesFor(onA, first);
    const since = seen[seen.length - 1].id!;
    await onA.close();

    // Published while the client is away, through both instances.
    const missed = [await created(b), await created(a), await created(b)];
    const onB = await client(b, '/ws/connect');
    const reply = await onB.request('subscribe', { topics: ['package_updates'], since });
    expect(reply).toMatchObject({ type: 'subscribed', data: { topics: ['package_updates'], recovered: true } });
    const live = await created(a);
    const got = await updatesFor(onB, [...missed, live]);
    expect(trackingNumbers(got)).toEqual([...missed, live]);
    expectIncreasing(got);
    expect(compareEventIds(since, got[0].id!)).toBeLessThan(0);
  }, 30_000);

  it('shows every instance in /ws/status and caps a user across the cluster', async () => {
    const first = await client(a, '/ws/connect', 'capped');
    const second = await client(b, '/ws/connect', 'capped');
    const third = connect(a.ws, '/ws/connect', { token: viewer('capped') });
    clients.push(third);
    expect(await third.next('error')).toMatchObject({ data: { code: 'LIMIT_EXCEEDED' } });
    expect((await third.closed).code).toBe(4429);

    // The slot comes back when a connection closes, whichever instance held it.
    await first.close();
    await waitFor(
      async () => {
        const retry = connect(b.ws, '/ws/connect', { token: viewer('capped') });
        clients.push(retry);
        const frame = await retry.next(() => true);
        return frame.type === 'connected';
      },
      10_000,
      'a free slot',
    );
    expect((await second.request('ping')).type).toBe('pong');

    const status = async () => {
      const res = await fetch(`${a.http}/ws/status`, { headers: { authorization: `Bearer ${admin()}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        instanceId: string;
        connections: { total: number };
        cluster: { instances: { instanceId: string; self: boolean; connections: { total: number } }[] };
      };
    };
    // Counts of the other instance travel with its next registration refresh (every 5 s).
    await waitFor(
      async () => {
        const s = await status();
        const other = s.cluster.instances.find((i) => i.instanceId === b.instanceId);
        const bClients = clients.filter((c) => c.ws.readyState === c.ws.OPEN && c.ws.url.startsWith(b.ws)).length;
        return other?.connections.total === bClients;
      },
      15_000,
      'counts of b in the cluster view of a',
    );
    const s = await status();
    expect(s.instanceId).toBe(a.instanceId);
    expect(s.cluster.instances.map((i) => i.instanceId)).toEqual([a.instanceId, b.instanceId]);
    expect(s.cluster.instances[0]).toMatchObject({ self: true, connections: { total: s.connections.total } });
  }, 40_000);

  it('loses only the killed instance’s connections; its clients resume on the survivor', async () => {
    const onA = await client(a);
    const onB = await client(b);
    const before = await created(a);
    const lastOnA = (await updatesFor(onA, [before])).at(-1)!.id!;

    await a.kill9();
    const closed = await onA.closed;
    expect(closed.code).toBe(1006);

    // The survivor keeps its client and keeps publishing.
    expect((await onB.request('ping')).type).toBe('pong');
    const after = [await created(b), await created(b)];
    await updatesFor(onB, after);

    const resumed = await client(b, '/ws/connect');
    const reply = await resumed.request('subscribe', { topics: ['package_updates'], since: lastOnA });
    expect(reply.data.recovered).toBe(true);
    const got = await updatesFor(resumed, after);
    expect(trackingNumbers(got)).toEqual(after);
  }, 30_000);
});

describeRedisServer('two gateway processes through a Redis outage', () => {
  let server: TestRedisServer;
  let a: GatewayInstance;
  let b: GatewayInstance;
  const clients: TestClient[] = [];

  async function client(instance: GatewayInstance, path = '/ws/packages'): Promise<TestClient> {
    const c = await connected(instance.ws, path, { token: viewer() });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    server = await TestRedisServer.start();
    const env = { REDIS_URL: server.url, REDIS_PREFIX: 'tracklight-test:outage:' };
    a = await GatewayInstance.start('gw-a', env);
    b = await GatewayInstance.start('gw-b', env);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await server?.destroy();
  }, 30_000);

  it('reports 503, keeps its clients, and continues without restart or duplicates', async () => {
    const onA = await client(a);
    const onB = await client(b);
    const before = await created(a);
    const seenBefore = await updatesFor(onB, [before]);
    const since = seenBefore.at(-1)!.id!;
    await updatesFor(onA, [before]);

    await server.stop({ save: true });
    for (const g of [a, b]) {
      await waitFor(async () => (await fetch(`${g.http}/health`)).status === 503, 10_000, `${g.instanceId} 503`);
    }
    // WebSocket clients stay connected and served.
    expect((await onA.request('ping')).type).toBe('pong');
    expect((await onB.request('ping')).type).toBe('pong');
    // A resume during the outage is served from the instance's memory.
    const resumer = await client(a, '/ws/connect');
    const reply = await resumer.request('subscribe', { topics: ['package_updates'], since });
    expect(reply.data.recovered).toBe(true);

    await server.start();
    for (const g of [a, b]) await g.waitHealthy(15_000);
    const after = [await created(b), await created(a)];
    for (const c of [onA, onB, resumer]) {
      const got = await updatesFor(c, after);
      expectIncreasing(got);
      expect(new Set(got.map((f) => f.id)).size).toBe(got.length);
    }
    expect(trackingNumbers(updates(resumer))).toEqual(after);
    expect(trackingNumbers(updates(onB)).filter((tn) => [before, ...after].includes(tn))).toEqual([before, ...after]);
  }, 60_000);
});
