import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../apps/gateway/src/config/app-config.js';
import { loadConfig } from '../../apps/gateway/src/config/load-config.js';
import type { ConnectionStats } from '../../apps/gateway/src/cluster/cluster-instance.js';
import { ClusterKeys } from '../../apps/gateway/src/cluster/cluster-keys.js';
import { LocalClusterService } from '../../apps/gateway/src/cluster/local-cluster.service.js';
import { RedisClusterService } from '../../apps/gateway/src/cluster/redis-cluster.service.js';
import { TEST_SECRET } from '../support/app.js';
import { REDIS_URL, TestRedisServer, cleanupPrefix, describeWithRedis, uniquePrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const describeRedis = await describeWithRedis('Cluster view on Redis');
const describeRedisServer = await describeWithRedis('Cluster view through a Redis outage', true);
Logger.overrideLogger(false);

function config(instanceId: string, prefix?: string, url = REDIS_URL): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_SECRET,
    INSTANCE_ID: instanceId,
    ...(prefix ? { REDIS_URL: url, REDIS_PREFIX: prefix } : {}),
  });
}

const stats = (byEndpoint: Record<string, number>): { connectionStats(): ConnectionStats } => ({
  connectionStats: () => ({ total: Object.values(byEndpoint).reduce((a, b) => a + b, 0), byEndpoint }),
});

describe('LocalClusterService (no Redis)', () => {
  it('is a cluster of one and caps users in process', async () => {
    const c = new LocalClusterService(config('solo'));
    c.setStatsSource(stats({ '/ws/map': 2 }));
    const [self, ...rest] = await c.instances();
    expect(rest).toEqual([]);
    expect(self).toMatchObject({
      instanceId: 'solo',
      self: true,
      connections: { total: 2, byEndpoint: { '/ws/map': 2 } },
    });
    expect(await c.acquireUserSlot('u', 'c1', 2)).toBe(true);
    expect(await c.acquireUserSlot('u', 'c1', 2)).toBe(true);
    expect(await c.acquireUserSlot('u', 'c2', 2)).toBe(true);
    expect(await c.acquireUserSlot('u', 'c3', 2)).toBe(false);
    expect(await c.acquireUserSlot('other', 'c4', 2)).toBe(true);
    await c.releaseUserSlot('u', 'c1');
    expect(await c.acquireUserSlot('u', 'c3', 2)).toBe(true);
  });
});

describeRedis('RedisClusterService against the local Redis', () => {
  let prefix: string;
  const services: RedisClusterService[] = [];
  let raw: Redis;

  async function instance(id: string, options = {}): Promise<RedisClusterService> {
    const s = new RedisClusterService(config(id, prefix), options);
    services.push(s);
    await s.onModuleInit();
    return s;
  }

  beforeEach(() => {
    prefix = uniquePrefix('cluster');
    raw = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.onApplicationShutdown()));
    raw.disconnect();
    await cleanupPrefix(prefix);
  });

  it('lists every live instance with its connection counts, itself first', async () => {
    const a = await instance('gw-a');
    const b = await instance('gw-b');
    a.setStatsSource(stats({ '/ws/packages': 3 }));
    b.setStatsSource(stats({ '/ws/map': 1, '/ws/dashboard': 4 }));
    // Counts travel with the next registration refresh; a new instance registers at once.
    const c = await instance('gw-c', { heartbeatMs: 50 });
    const b2 = await instance('gw-b2', { heartbeatMs: 50 });
    b2.setStatsSource(stats({ '/ws/agents': 7 }));
    await waitFor(async () => (await c.instances()).some((i) => i.instanceId === 'gw-b2' && i.connections.total === 7));
    const fromA = await a.instances();
    expect(fromA.map((i) => i.instanceId)).toEqual(['gw-a', 'gw-b', 'gw-b2', 'gw-c']);
    expect(fromA[0]).toMatchObject({ self: true, connections: { total: 3, byEndpoint: { '/ws/packages': 3 } } });
    expect(fromA.find((i) => i.instanceId === 'gw-b2')).toMatchObject({
      self: false,
      connections: { total: 7, byEndpoint: { '/ws/agents': 7 } },
    });
    expect(new Date(fromA[1].startedAt).toISOString()).toBe(fromA[1].startedAt);

    // Registration carries a TTL, so a killed instance disappears on its own.
    const ttl = await raw.pttl(new ClusterKeys(prefix).instance('gw-a'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15_000);

    // A clean shutdown deregisters at once.
    await c.onApplicationShutdown();
    expect((await a.instances()).map((i) => i.instanceId)).toEqual(['gw-a', 'gw-b', 'gw-b2']);
  });

  it('drops an instance whose registration expired', async () => {
    const a = await instance('gw-a');
    const keys = new ClusterKeys(prefix);
    // What a kill -9 leaves behind: a member whose TTL key is gone.
    await raw.sadd(keys.members, 'gw-dead');
    expect((await a.instances()).map((i) => i.instanceId)).toEqual(['gw-a']);
    expect(await raw.sismember(keys.members, 'gw-dead')).toBe(0);
  });

  it('caps a user across instances, and slots of dead instances stop counting', async () => {
    const a = await instance('gw-a');
    const b = await instance('gw-b');
    expect(await a.acquireUserSlot('alice', 'a1', 3)).toBe(true);
    expect(await a.acquireUserSlot('alice', 'a2', 3)).toBe(true);
    expect(await b.acquireUserSlot('alice', 'b1', 3)).toBe(true);
    expect(await b.acquireUserSlot('alice', 'b2', 3)).toBe(false);
    expect(await a.acquireUserSlot('alice', 'a3', 3)).toBe(false);
    expect(await b.acquireUserSlot('alice', 'b1', 3)).toBe(true); // idempotent
    expect(await b.acquireUserSlot('bob', 'b3', 3)).toBe(true);

    await a.releaseUserSlot('alice', 'a1');
    expect(await b.acquireUserSlot('alice', 'b2', 3)).toBe(true);
    expect(await a.acquireUserSlot('alice', 'a4', 3)).toBe(false);

    // Slots of an instance that is no longer registered (killed) are purged and free up.
    const keys = new ClusterKeys(prefix);
    await raw.hset(keys.userSlots('carol'), 'x1', 'gw-dead', 'x2', 'gw-dead');
    expect(await a.acquireUserSlot('carol', 'c1', 1)).toBe(true);
    expect(await raw.hgetall(keys.userSlots('carol'))).toEqual({ c1: 'gw-a' });

    // A clean shutdown gives its slots back.
    await b.onApplicationShutdown();
    expect(await raw.hgetall(keys.userSlots('alice'))).toEqual({ a2: 'gw-a' });
  });
});

describeRedisServer('RedisClusterService through a Redis outage (private redis-server)', () => {
  it('falls back to its own count and writes slots back when Redis returns', async () => {
    const server = await TestRedisServer.start();
    const prefix = 'tracklight-test:cluster-outage:';
    const s = new RedisClusterService(config('gw-a', prefix, server.url), { heartbeatMs: 100 });
    const keys = new ClusterKeys(prefix);
    try {
      await s.onModuleInit();
      expect(await s.acquireUserSlot('alice', 'a1', 2)).toBe(true);
      await server.stop({ save: true });
      expect(await s.acquireUserSlot('alice', 'a2', 2)).toBe(true);
      expect(await s.acquireUserSlot('alice', 'a3', 2)).toBe(false);
      await s.releaseUserSlot('alice', 'a1');

      await server.start();
      const raw = new Redis(server.url);
      try {
        await waitFor(async () => (await raw.hget(keys.userSlots('alice'), 'a2')) === 'gw-a', 10_000, 'resync');
        expect(await raw.hgetall(keys.userSlots('alice'))).toEqual({ a2: 'gw-a' });
        expect(await raw.exists(keys.instance('gw-a'))).toBe(1);
      } finally {
        raw.disconnect();
      }
    } finally {
      await s.onApplicationShutdown();
      await server.destroy();
    }
  });
});
