import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { BusUnavailableError } from '../../apps/gateway/src/bus/redis/bus-unavailable.error.js';
import { startApp, type TestApp } from '../support/app.js';
import { trackingNumbers, type Json } from '../support/http.js';
import { TestRedisServer, describeWithRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { ops, token, viewer } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * docs/operations.md, "Faults": with Redis unreachable a REST write either succeeds with its event delivered
 * or fails with 503; it is never acknowledged with its event dropped. Runs against a private
 * `redis-server` that the suite stops and starts.
 */
const describeRedis = await describeWithRedis('REST writes during a Redis outage', true);

const tn = trackingNumbers('BO');
const LOUISVILLE = { location: 'Louisville, KY', latitude: 38.2527, longitude: -85.7585 };
const packageBody = (trackingNumber: string) => ({
  trackingNumber,
  carrier: 'UPS',
  origin: { name: 'Memphis, TN', latitude: 35.1495, longitude: -90.049 },
  destination: { name: 'New York, NY', latitude: 40.7128, longitude: -74.006 },
  estimatedDelivery: '2030-01-02T15:00:00.000Z',
});
const DEPOT = { latitude: 52.37, longitude: 4.9 };
const stops = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `stop-${i}`,
    latitude: 52.2 + ((i * 37) % 100) / 300,
    longitude: 4.6 + ((i * 61) % 100) / 170,
    serviceMinutes: 2,
  }));
const owner = () => token({ sub: 'olga', roles: ['viewer'] });

interface Answer {
  status: number;
  retryAfter: string | null;
  body: Json;
}

describeRedis('REST writes on a Redis bus that goes away and comes back', () => {
  let server: TestRedisServer;
  let t: TestApp;
  const clients: TestClient[] = [];

  async function post(path: string, bearer: string | undefined, body?: unknown): Promise<Answer> {
    const res = await fetch(`${t.http}${path}`, {
      method: 'POST',
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: text ? JSON.parse(text) : undefined,
    };
  }

  const getPackage = async (trackingNumber: string) =>
    fetch(`${t.http}/packages/${trackingNumber}`, { headers: { authorization: `Bearer ${viewer()}` } });

  async function packageStatus(trackingNumber: string): Promise<Json> {
    const body = (await (await getPackage(trackingNumber)).json()) as Json;
    return body.status;
  }

  async function getSchedule(id: string): Promise<Json> {
    const res = await fetch(`${t.http}/schedules/${id}`, { headers: { authorization: `Bearer ${owner()}` } });
    return res.json();
  }

  async function packagesClient(): Promise<TestClient> {
    const c = await connected(t.ws, '/ws/packages', { token: viewer() });
    clients.push(c);
    return c;
  }

  const updateOf = (trackingNumber: string, status: string) => (f: Frame) =>
    f.type === 'package_update' && f.data.trackingNumber === trackingNumber && f.data.status === status;

  function expectRefused(answer: Answer): void {
    expect(answer.status).toBe(503);
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  }

  beforeAll(async () => {
    server = await TestRedisServer.start();
    // One worker: a long schedule holds it, so a second one stays queued until it is cancelled.
    t = await startApp({ REDIS_URL: server.url, REDIS_PREFIX: 'tracklight-test:bus-outage:', SCHEDULER_WORKERS: '1' });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t?.close();
    await server?.destroy();
  }, 30_000);
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('answers 503 stored:true, never 2xx, when the publish fails after the guard let the write in', async () => {
    const bus = t.app.get(EventBus);
    expect(bus.health()).toBe('ok');
    const existing = tn();
    expect((await post('/packages', ops(), packageBody(existing))).status).toBe(201);
    const blocker = await post('/schedules', owner(), {
      name: 'blocker',
      depot: DEPOT,
      vehicles: 1,
      stops: stops(4000),
    });
    const queued = await post('/schedules', owner(), { name: 'queued', depot: DEPOT, vehicles: 1, stops: stops(5) });
    expect([blocker.status, queued.status]).toEqual([202, 202]);

    // Redis is up (health 'ok'), but every publish now fails as it does when the connection
    // drops mid-command: the race the guard cannot close.
    const publish = jest.spyOn(bus, 'publish').mockRejectedValue(new BusUnavailableError());
    const fresh = tn();
    const answers = {
      create: await post('/packages', ops(), packageBody(fresh)),
      scan: await post(`/packages/${existing}/scans`, ops(), { status: 'picked_up', ...LOUISVILLE }),
      heartbeat: await post('/agents/race-agent/heartbeat', ops(), { name: 'Race agent', state: 'idle' }),
      cancel: await post(`/schedules/${queued.body.scheduleId}/cancel`, owner()),
    };
    expect(publish).toHaveBeenCalled();
    for (const answer of Object.values(answers)) {
      expectRefused(answer);
      expect(answer.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', stored: true });
    }
    publish.mockRestore();

    // As documented: the writes were committed, only their events are missing.
    expect(await packageStatus(fresh)).toBe('created');
    expect(await packageStatus(existing)).toBe('picked_up');
    expect((await getSchedule(queued.body.scheduleId)).status).toBe('cancelled');
    // A retried create finds it there; a retried scan at the same status is a position update.
    expect((await post('/packages', ops(), packageBody(fresh))).status).toBe(409);
    const c = await packagesClient();
    expect((await post(`/packages/${existing}/scans`, ops(), { status: 'picked_up', ...LOUISVILLE })).status).toBe(201);
    await c.next(updateOf(existing, 'picked_up'));

    expect((await post(`/schedules/${blocker.body.scheduleId}/cancel`, owner())).status).toBe(200);
  }, 30_000);

  it('refuses writes with 503 and Retry-After while Redis is down, then accepts them and delivers their events', async () => {
    const bus = t.app.get(EventBus);
    const c = await packagesClient();
    const existing = tn();
    expect((await post('/packages', ops(), packageBody(existing))).status).toBe(201);
    await c.next(updateOf(existing, 'created'));

    await server.stop({ save: true });
    await waitFor(() => bus.health() === 'degraded', 10_000, 'the bus to report degraded');
    expect((await fetch(`${t.http}/health`)).status).toBe(503);

    const refusedTn = tn();
    const scheduleId = randomUUID();
    const answers = [
      await post('/packages', ops(), packageBody(refusedTn)),
      await post(`/packages/${existing}/scans`, ops(), { status: 'picked_up', ...LOUISVILLE }),
      await post('/agents/outage-agent/heartbeat', ops(), { name: 'Outage agent', state: 'idle' }),
      await post('/schedules', owner(), { name: 'during', depot: DEPOT, vehicles: 1, stops: stops(5) }),
      await post(`/schedules/${scheduleId}/cancel`, owner()),
    ];
    for (const answer of answers) {
      expectRefused(answer);
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'event bus unavailable, retry later',
      });
    }
    // Refused before anything was stored.
    expect((await getPackage(refusedTn)).status).toBe(404);
    expect(await packageStatus(existing)).toBe('created');
    // Authentication is still checked first.
    expect((await post('/packages', undefined, packageBody(tn()))).status).toBe(401);
    // Reads and the open WebSocket keep working.
    expect((await c.request('ping')).type).toBe('pong');

    await server.start();
    await waitFor(async () => (await fetch(`${t.http}/health`)).status === 200, 15_000, '/health back to 200');
    expect((await post('/packages', ops(), packageBody(refusedTn))).status).toBe(201);
    expect((await post(`/packages/${existing}/scans`, ops(), { status: 'picked_up', ...LOUISVILLE })).status).toBe(201);
    const created = await c.next(updateOf(refusedTn, 'created'), 10_000);
    const scanned = await c.next(updateOf(existing, 'picked_up'), 10_000);
    expect(created.topic).toBe('package_updates');
    expect(scanned.topic).toBe('package_updates');
    // Nothing from the outage shows up twice or out of order.
    const mine = c.all((f) => f.type === 'package_update' && [existing, refusedTn].includes(f.data.trackingNumber));
    expect(mine.map((f) => `${f.data.trackingNumber}:${f.data.status}`)).toEqual([
      `${existing}:created`,
      `${refusedTn}:created`,
      `${existing}:picked_up`,
    ]);
  }, 60_000);
});
