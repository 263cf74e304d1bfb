import { startApp, type TestApp } from '../support/app.js';
import { cleanupPrefix, describeWithRedis, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { admin, viewer } from '../support/tokens.js';
import { connect, connected } from '../support/ws.js';

const describeRedis = await describeWithRedis('gateway per-user cap and /ws/status across instances');

describeRedis('gateway on Redis: two instances', () => {
  const prefix = uniquePrefix('gateway-cluster');
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = { REDIS_URL, REDIS_PREFIX: prefix, WS_MAX_CONNECTIONS_PER_USER: '2' };
    a = await startApp({ ...env, INSTANCE_ID: 'gw-a' });
    b = await startApp({ ...env, INSTANCE_ID: 'gw-b' });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cleanupPrefix(prefix);
  });

  it('caps a user across instances with 4429, and frees the slot on close', async () => {
    const one = await connected(a.ws, '/ws/connect', { token: viewer('roaming') });
    const two = await connected(b.ws, '/ws/connect', { token: viewer('roaming') });
    const three = connect(a.ws, '/ws/connect', { token: viewer('roaming') });
    expect((await three.closed).code).toBe(4429);
    expect(three.frames[0].data.code).toBe('LIMIT_EXCEEDED');
    await two.close();
    const again = await connected(a.ws, '/ws/connect', { token: viewer('roaming') });
    await Promise.all([one.close(), again.close()]);
  });

  it('GET /ws/status has a cluster section listing both instances', async () => {
    const c = await connected(b.ws, '/ws/map', { token: viewer('mapper') });
    const res = await fetch(`${a.http}/ws/status`, { headers: { authorization: `Bearer ${admin()}` } });
    const body = (await res.json()) as {
      instanceId: string;
      cluster: { instances: { instanceId: string; self: boolean }[] };
    };
    expect(body.instanceId).toBe('gw-a');
    expect(body.cluster.instances.map((i) => [i.instanceId, i.self])).toEqual([
      ['gw-a', true],
      ['gw-b', false],
    ]);
    await c.close();
  });
});
