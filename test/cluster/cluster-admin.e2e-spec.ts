import type { ConnectionItem } from '../../apps/gateway/src/cluster/cluster-admin.js';
import { parseReply, parseRequest } from '../../apps/gateway/src/cluster/cluster-admin-messages.js';
import { mergeConnectionLists } from '../../apps/gateway/src/cluster/merge-connection-lists.js';
import { GatewayInstance } from '../support/instances.js';
import { cleanupPrefix, describeWithRedis, REDIS_URL, TestRedisServer, uniquePrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { admin, viewer } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

/**
 * The admin routes of two real gateway processes on one Redis act as one deployment: GET
 * /ws/connections on either lists, filters and pages the connections of both, DELETE on one
 * closes a connection held by the other, and an instance that cannot answer is reported, never
 * silently left out.
 */
const describeRedis = await describeWithRedis('Cluster-wide admin routes (two processes)');
const describeRedisServer = await describeWithRedis('Cluster-wide admin routes through a Redis outage', true);

interface Item {
  connectionId: string;
  userId: string;
  endpoint: string;
  topics: string[];
  connectedAt: string;
  instanceId: string;
}
interface List {
  total: number;
  items: Item[];
  partial: boolean;
  missingInstances: string[];
  truncated: boolean;
}

const auth = () => ({ authorization: `Bearer ${admin()}` });

async function list(instance: GatewayInstance, query = ''): Promise<List> {
  const res = await fetch(`${instance.http}/ws/connections${query}`, { headers: auth() });
  expect(res.status).toBe(200);
  return (await res.json()) as List;
}

const remove = (instance: GatewayInstance, id: string): Promise<Response> =>
  fetch(`${instance.http}/ws/connections/${encodeURIComponent(id)}`, { method: 'DELETE', headers: auth() });

const idOf = (c: TestClient): string => c.frames[0].data.connectionId as string;
const ids = (l: List): string[] => l.items.map((i) => i.connectionId);

describeRedis('GET and DELETE /ws/connections across two gateway processes', () => {
  let a: GatewayInstance;
  let b: GatewayInstance;
  const clients: TestClient[] = [];
  const prefix = uniquePrefix('cluster-admin');
  const env = { REDIS_URL, REDIS_PREFIX: prefix };

  async function client(instance: GatewayInstance, path: string, user: string): Promise<TestClient> {
    const c = await connected(instance.ws, path, { token: viewer(user) });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    a = await GatewayInstance.start('adm-a', env);
    b = await GatewayInstance.start('adm-b', env);
  }, 120_000);
  // A failed test must not leave its connections in the next test's lists.
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await cleanupPrefix(prefix);
  }, 30_000);

  it('lists the connections of both instances on either, with filters and paging over the merge', async () => {
    const onA1 = await client(a, '/ws/packages', 'shared');
    const onB1 = await client(b, '/ws/dashboard', 'only-b');
    const onA2 = await client(a, '/ws/map', 'only-a');
    const onB2 = await client(b, '/ws/packages', 'shared');
    await onB2.request('subscribe', { topics: ['anomalies'] });

    const all = await list(a);
    expect(all).toMatchObject({ total: 4, partial: false, missingInstances: [], truncated: false });
    expect(new Set(ids(all))).toEqual(new Set([onA1, onB1, onA2, onB2].map(idOf)));
    const sorted = [...all.items].sort(
      (x, y) => x.connectedAt.localeCompare(y.connectedAt) || x.connectionId.localeCompare(y.connectionId),
    );
    expect(ids(all)).toEqual(ids({ ...all, items: sorted }));
    expect(all.items.find((i) => i.connectionId === idOf(onB1))).toEqual({
      connectionId: idOf(onB1),
      userId: 'only-b',
      endpoint: '/ws/dashboard',
      topics: expect.arrayContaining(['dashboard_metrics']),
      connectedAt: expect.any(String),
      lastActivityAt: expect.any(String),
      messagesIn: 0,
      messagesOut: expect.any(Number),
      bufferedBytes: 0,
      remoteAddress: '127.0.0.1',
      instanceId: b.instanceId,
    });
    expect(all.items.find((i) => i.connectionId === idOf(onA1))?.instanceId).toBe(a.instanceId);
    // The same order whichever instance answers.
    expect(ids(await list(b))).toEqual(ids(all));

    const shared = await list(a, '?userId=shared');
    expect(shared.total).toBe(2);
    expect(new Set(shared.items.map((i) => i.instanceId))).toEqual(new Set([a.instanceId, b.instanceId]));
    expect(await list(a, '?endpoint=/ws/dashboard')).toMatchObject({ total: 1, items: [{ userId: 'only-b' }] });
    const byTopic = await list(a, '?topic=anomalies');
    expect(byTopic).toMatchObject({ total: 1, items: [{ connectionId: idOf(onB2), instanceId: b.instanceId }] });
    expect(byTopic.items[0].topics.sort()).toEqual(['anomalies', 'package_updates']);
    expect(await list(b, '?userId=only-a&endpoint=/ws/map')).toMatchObject({
      total: 1,
      items: [{ connectionId: idOf(onA2), instanceId: a.instanceId }],
    });
    expect(await list(a, '?userId=nobody')).toMatchObject({ total: 0, items: [], partial: false });

    // Pages cut the merged order, not each instance's list.
    const pages: string[] = [];
    for (let offset = 0; offset < 4; offset++) {
      const page = await list(offset % 2 ? b : a, `?limit=1&offset=${offset}`);
      expect(page.total).toBe(4);
      pages.push(...ids(page));
    }
    expect(pages).toEqual(ids(all));
    const middle = await list(a, '?limit=2&offset=1');
    expect(middle).toMatchObject({ total: 4 });
    expect(ids(middle)).toEqual(ids(all).slice(1, 3));
    expect(await list(a, '?offset=4')).toMatchObject({ total: 4, items: [] });
  }, 30_000);

  it('DELETE on one instance closes a connection held by the other with 4403 and answers 204', async () => {
    const onB = await client(b, '/ws/connect', 'kicked-remote');
    const id = idOf(onB);
    const res = await remove(a, id);
    expect(res.status).toBe(204);
    expect((await onB.closed).code).toBe(4403);
    await waitFor(async () => (await list(a, '?userId=kicked-remote')).total === 0, 5_000, 'kicked one unlisted');

    const again = await remove(a, id);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ statusCode: 404 });
  }, 30_000);

  it('DELETE still closes a local connection, and answers 404 for an id no instance holds', async () => {
    const onA = await client(a, '/ws/connect', 'kicked-local');
    expect((await remove(a, idOf(onA))).status).toBe(204);
    expect((await onA.closed).code).toBe(4403);
    const unknown = await remove(b, 'no-such-connection');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404 });
  }, 30_000);

  it('reports an instance that did not answer: GET is partial, DELETE of an unknown id is 503', async () => {
    const onB = await client(b, '/ws/packages', 'survivor');
    const c = await GatewayInstance.start('adm-c', env);
    try {
      const onC = await client(c, '/ws/packages', 'on-c');
      const three = await list(a, '?endpoint=/ws/packages');
      expect(three).toMatchObject({ total: 2, partial: false });
      expect(new Set(ids(three))).toEqual(new Set([idOf(onB), idOf(onC)]));

      // Killed: its registration outlives it (TTL), so the others expect an answer that never comes.
      await c.kill9();
      const partial = await list(a, '?endpoint=/ws/packages');
      expect(partial).toMatchObject({ total: 1, partial: true, missingInstances: [c.instanceId] });
      expect(ids(partial)).toEqual([idOf(onB)]);

      const unsure = await remove(a, 'no-such-connection');
      expect(unsure.status).toBe(503);
      expect(unsure.headers.get('retry-after')).toBe('1');
      expect(await unsure.json()).toMatchObject({ statusCode: 503 });
      // A connection that an answering instance holds is still closed.
      expect((await remove(a, idOf(onB))).status).toBe(204);
      expect((await onB.closed).code).toBe(4403);
    } finally {
      await c.stop();
    }
  }, 120_000);
});

describeRedisServer('admin routes while Redis is unreachable', () => {
  let server: TestRedisServer;
  let a: GatewayInstance;
  let b: GatewayInstance;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await TestRedisServer.start();
    const env = { REDIS_URL: server.url, REDIS_PREFIX: 'tracklight-test:cluster-admin-outage:' };
    a = await GatewayInstance.start('adm-out-a', env);
    b = await GatewayInstance.start('adm-out-b', env);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([a?.stop(), b?.stop()]);
    await server?.destroy();
  }, 30_000);

  it('answers for its own connections, says partial and 503 for the rest, and heals without restart', async () => {
    const onA = await connected(a.ws, '/ws/connect', { token: viewer('out-a') });
    const onB = await connected(b.ws, '/ws/connect', { token: viewer('out-b') });
    clients.push(onA, onB);
    expect(await list(a)).toMatchObject({ total: 2, partial: false });

    await server.stop({ save: true });
    await waitFor(async () => (await fetch(`${a.http}/health`)).status === 503, 10_000, 'a sees the outage');
    expect(await list(a)).toMatchObject({ total: 1, partial: true, items: [{ connectionId: idOf(onA) }] });
    const unsure = await remove(a, idOf(onB));
    expect(unsure.status).toBe(503);
    expect(unsure.headers.get('retry-after')).toBe('1');

    await server.start();
    await a.waitHealthy(15_000);
    await waitFor(
      async () => {
        const l = await list(a);
        return !l.partial && l.total === 2;
      },
      15_000,
      'the cluster list back',
    );
    expect((await remove(a, idOf(onB))).status).toBe(204);
    expect((await onB.closed).code).toBe(4403);
  }, 90_000);
});

describe("merging the instances' lists (no Redis needed)", () => {
  const conn = (connectionId: string, second: number): ConnectionItem => ({
    connectionId,
    userId: 'u',
    endpoint: '/ws/connect',
    topics: [],
    connectedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, second)).toISOString(),
    lastActivityAt: new Date(Date.UTC(2030, 0, 1)).toISOString(),
    messagesIn: 0,
    messagesOut: 0,
    bufferedBytes: 0,
    remoteAddress: '127.0.0.1',
  });

  it('sorts by connectedAt then connectionId whatever the reply order, and pages the merge', () => {
    const x = { instanceId: 'x', total: 3, items: [conn('x1', 1), conn('x2', 3), conn('x3', 5)] };
    const y = { instanceId: 'y', total: 2, items: [conn('b', 3), conn('y2', 4)] };
    const order = ['x1', 'b', 'x2', 'y2', 'x3'];
    for (const slices of [
      [x, y],
      [y, x],
    ]) {
      const all = mergeConnectionLists(slices, 0, 10);
      expect(all.items.map((i) => i.connectionId)).toEqual(order);
      expect(all).toMatchObject({ total: 5, truncated: false });
      expect(all.items.map((i) => i.instanceId)).toEqual(['x', 'y', 'x', 'y', 'x']);
      expect(mergeConnectionLists(slices, 2, 2).items.map((i) => i.connectionId)).toEqual(['x2', 'y2']);
    }
  });

  it('says truncated when an instance sent fewer than offset + limit of more matches', () => {
    const capped = { instanceId: 'x', total: 5000, items: [conn('x1', 1), conn('x2', 2)] };
    expect(mergeConnectionLists([capped], 0, 2)).toMatchObject({ total: 5000, truncated: false });
    expect(mergeConnectionLists([capped], 1, 2)).toMatchObject({ total: 5000, truncated: true });
  });

  it('drops channel messages of the wrong shape', () => {
    expect(parseRequest('not json')).toBeUndefined();
    expect(parseRequest(JSON.stringify({ requestId: 'r', from: 'a', kind: 'drop' }))).toBeUndefined();
    expect(
      parseRequest(JSON.stringify({ requestId: 'r', from: 'a', kind: 'list', filter: { userId: 7 }, max: 1 })),
    ).toBeUndefined();
    expect(
      parseRequest(JSON.stringify({ requestId: 'r', from: 'a', kind: 'list', filter: { userId: 'u', x: 1 }, max: 3 })),
    ).toEqual({ requestId: 'r', from: 'a', kind: 'list', filter: { userId: 'u' }, max: 3 });
    expect(
      parseReply(JSON.stringify({ requestId: 'r', instanceId: 'b', kind: 'close', closed: 'yes' })),
    ).toBeUndefined();
    expect(
      parseReply(JSON.stringify({ requestId: 'r', instanceId: 'b', kind: 'list', total: 1, items: [{}] })),
    ).toBeUndefined();
    expect(parseReply(JSON.stringify({ requestId: 'r', instanceId: 'b', kind: 'close', closed: false }))).toEqual({
      requestId: 'r',
      instanceId: 'b',
      kind: 'close',
      closed: false,
    });
  });
});
