import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { DurableEventBus } from '../../apps/gateway/src/bus/durable/durable-event-bus.js';
import { InMemoryEventBus } from '../../apps/gateway/src/bus/in-memory-event-bus.js';
import { RedisEventBus } from '../../apps/gateway/src/bus/redis/redis-event-bus.js';
import { ClusterService } from '../../apps/gateway/src/cluster/cluster.service.js';
import { LocalClusterService } from '../../apps/gateway/src/cluster/local-cluster.service.js';
import { RedisClusterService } from '../../apps/gateway/src/cluster/redis-cluster.service.js';
import { startApp, type TestApp } from '../support/app.js';
import { TestRedisServer, describeWithRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';

const describeRedis = await describeWithRedis('Redis bus in the app', true);

describe('bus selection without REDIS_URL', () => {
  it('keeps the in-process bus and the cluster of one', async () => {
    const t = await startApp();
    try {
      const bus = t.app.get(EventBus);
      expect(bus).toBeInstanceOf(DurableEventBus);
      expect((bus as DurableEventBus).inner).toBeInstanceOf(InMemoryEventBus);
      expect(t.app.get(ClusterService)).toBeInstanceOf(LocalClusterService);
    } finally {
      await t.close();
    }
  });
});

describeRedis('the app on a Redis that goes away and comes back', () => {
  let server: TestRedisServer;
  let t: TestApp;

  beforeAll(async () => {
    server = await TestRedisServer.start();
    t = await startApp({ REDIS_URL: server.url, REDIS_PREFIX: 'tracklight-test:app:' });
  });
  afterAll(async () => {
    await t?.close();
    await server?.destroy();
  });

  it('uses the Redis bus and reports Redis in /health', async () => {
    expect(t.app.get(EventBus)).toBeInstanceOf(DurableEventBus);
    expect(t.app.get<EventBus, DurableEventBus>(EventBus).inner).toBeInstanceOf(RedisEventBus);
    expect(t.app.get(ClusterService)).toBeInstanceOf(RedisClusterService);
    const ok = await fetch(`${t.http}/health`);
    expect(ok.status).toBe(200);

    await server.stop({ save: true });
    const bus = t.app.get(EventBus);
    await waitFor(() => bus.health() === 'degraded', 5_000, 'degraded');
    const down = await fetch(`${t.http}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ failing: ['redis'] });

    await server.start();
    await waitFor(async () => (await fetch(`${t.http}/health`)).status === 200, 10_000, '/health back to 200');
    const e = await bus.publish('notifications', 'notification', {
      notificationId: 'back',
      level: 'info',
      title: 'Redis is back',
      message: 'publishing works again without a restart',
    });
    await waitFor(() => bus.lastEventId() === e.id, 5_000, 'delivery after recovery');
  });
});
