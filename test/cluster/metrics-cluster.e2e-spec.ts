import { startApp, type TestApp } from '../support/app.js';
import { callApp, trackingNumbers } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres.js';
import { cleanupPrefix, describeWithRedis, REDIS_URL, uniquePrefix } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { ops, viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

const describeRedis = await describeWithRedis('dashboard metrics across two gateway instances');

const NEW_YORK = { name: 'New York, NY', latitude: 40.7128, longitude: -74.006 };
const WASHINGTON = { name: 'Washington, DC', latitude: 38.9072, longitude: -77.0369 };

const tn = trackingNumbers('MC');

/**
 * Two instances on one PostgreSQL and one Redis, as in the docker-compose deployment: each write
 * lands on one instance, yet both must report the same figures (they follow the shared bus).
 */
describeRedis('dashboard metrics across two gateway instances', () => {
  let db: TestDatabase | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  const prefix = uniquePrefix('metrics');

  beforeAll(async () => {
    db = await createTestDatabase('metrics across instances');
    if (!db) return;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      METRICS_PUBLISH_MS: '100',
      ANOMALY_SWEEP_MS: '100',
      ANOMALY_STUCK_MS: '3600000',
    };
    a = await startApp({ ...env, INSTANCE_ID: 'metrics-a' });
    b = await startApp({ ...env, INSTANCE_ID: 'metrics-b' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    await cleanupPrefix(prefix);
  });

  const call = (t: TestApp, method: string, path: string, body?: unknown) =>
    callApp(t, method, path, method === 'GET' ? viewer() : ops(), body);

  it('reports the same figures on both instances whichever one took the writes', async () => {
    if (!a || !b) return;
    const client = await connected(b.ws, '/ws/dashboard', { token: viewer() });
    try {
      const first = tn();
      const second = tn();
      const create = (t: TestApp, trackingNumber: string, estimatedDelivery: string) =>
        call(t, 'POST', '/packages', {
          trackingNumber,
          carrier: 'USPS',
          origin: NEW_YORK,
          destination: WASHINGTON,
          estimatedDelivery,
        });
      const scan = (t: TestApp, trackingNumber: string, status: string) =>
        call(t, 'POST', `/packages/${trackingNumber}/scans`, {
          status,
          location: NEW_YORK.name,
          latitude: NEW_YORK.latitude,
          longitude: NEW_YORK.longitude,
        });

      expect((await create(a, first, new Date(Date.now() + 86_400_000).toISOString())).status).toBe(201);
      expect((await create(b, second, new Date(Date.now() - 3_600_000).toISOString())).status).toBe(201);
      expect((await scan(b, first, 'in_transit')).status).toBe(201);
      expect((await scan(a, second, 'delivered')).status).toBe(201);
      expect((await scan(a, first, 'picked_up')).status).toBe(409); // status_regression, opened on a

      const expected = { totalPackages: 2, inTransit: 1, delivered: 1, delayed: 0, openAnomalies: 1 };
      for (const t of [a, b]) {
        await waitFor(
          async () => {
            const { body } = await call(t, 'GET', '/metrics/dashboard');
            return Object.entries(expected).every(([k, v]) => body[k] === v);
          },
          10_000,
          `${t.config.instanceId} reporting ${JSON.stringify(expected)}`,
        );
      }
      expect((await call(a, 'GET', '/metrics/dashboard')).body).toEqual(
        (await call(b, 'GET', '/metrics/dashboard')).body,
      );

      // A client on b sees the figures even though a took most of the writes.
      const live = await client.next(
        (f) => f.type === 'dashboard_metrics' && Object.entries(expected).every(([k, v]) => f.data[k] === v),
        10_000,
      );
      expect(live.topic).toBe('dashboard_metrics');
    } finally {
      await client.close();
    }
  });
});
