import { jest } from '@jest/globals';
import type { DurableEventBus } from '../../apps/gateway/src/bus/durable/durable-event-bus.js';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { BusUnavailableError } from '../../apps/gateway/src/bus/redis/bus-unavailable.error.js';
import { startApp, type TestApp } from '../support/app.js';
import { trackingNumbers, type Json } from '../support/http.js';
import { TestRedisServer, describeWithRedis } from '../support/redis.js';
import { waitFor } from '../support/wait.js';
import { ops, token, viewer } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * docs/operations.md, "Faults": with Redis unreachable, writes whose events are stored (packages,
 * schedule cancels) commit and answer 2xx; their events wait in the event log and go out in
 * order, once each, when Redis is back. 503 with Retry-After only before committing, once
 * EVENT_BACKLOG_MAX events wait. Writes of unstored topics (agent heartbeats) are still refused.
 * Runs against a private `redis-server` that the suite stops and starts.
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
/** Small, so the outage test reaches it: a create or a scan adds two stored events. */
const BACKLOG_MAX = 60;

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
    t = await startApp({
      REDIS_URL: server.url,
      REDIS_PREFIX: 'tracklight-test:bus-outage:',
      SCHEDULER_WORKERS: '1',
      EVENT_BACKLOG_MAX: String(BACKLOG_MAX),
    });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t?.close();
    await server?.destroy();
  }, 30_000);
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('a bus failing after the commit: stored writes answer 2xx and their events follow once it works again', async () => {
    const bus = t.app.get<EventBus, DurableEventBus>(EventBus);
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
    const c = await packagesClient();
    const s = await connected(t.ws, '/ws/connect', { token: owner() });
    clients.push(s);
    expect((await s.request('subscribe', { topics: [`schedule:${queued.body.scheduleId}`] })).type).toBe('subscribed');

    // Redis is up (health 'ok'), but every publish now fails as it does when the connection
    // drops mid-command.
    const relay = jest.spyOn(bus.inner, 'publishLogged').mockRejectedValue(new BusUnavailableError());
    const publish = jest.spyOn(bus.inner, 'publish').mockRejectedValue(new BusUnavailableError());
    const fresh = tn();
    const answers = {
      create: await post('/packages', ops(), packageBody(fresh)),
      scan: await post(`/packages/${existing}/scans`, ops(), { status: 'picked_up', ...LOUISVILLE }),
      cancel: await post(`/schedules/${queued.body.scheduleId}/cancel`, owner()),
      heartbeat: await post('/agents/race-agent/heartbeat', ops(), { name: 'Race agent', state: 'idle' }),
    };
    expect(relay).toHaveBeenCalled();
    expect([answers.create.status, answers.scan.status, answers.cancel.status]).toEqual([201, 201, 200]);
    // agent_activity is not a stored topic: that write still cannot promise its event.
    expectRefused(answers.heartbeat);
    expect(answers.heartbeat.body).toMatchObject({ statusCode: 503, stored: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(c.all(updateOf(fresh, 'created'))).toEqual([]);
    relay.mockRestore();
    publish.mockRestore();

    // The relay retries on its own: the held events arrive, in commit order, once each.
    await c.next(updateOf(existing, 'picked_up'), 5_000);
    const mine = c.all((f) => f.type === 'package_update' && [existing, fresh].includes(f.data.trackingNumber));
    expect(mine.map((f) => `${f.data.trackingNumber}:${f.data.status}`)).toEqual([
      `${fresh}:created`,
      `${existing}:picked_up`,
    ]);
    const ended = await s.next('schedule_failed', 5_000);
    expect(ended.data).toMatchObject({ scheduleId: queued.body.scheduleId, error: { code: 'CANCELLED' } });
    expect((await getSchedule(queued.body.scheduleId)).status).toBe('cancelled');

    expect((await post(`/schedules/${blocker.body.scheduleId}/cancel`, owner())).status).toBe(200);
  }, 30_000);

  it('Redis stopped during writes: writes answer 2xx, events arrive in order after it returns, nothing twice; past the backlog bound 503 before committing', async () => {
    const bus = t.app.get(EventBus);
    const c = await packagesClient();
    const existing = tn();
    expect((await post('/packages', ops(), packageBody(existing))).status).toBe(201);
    await c.next(updateOf(existing, 'created'));

    // Writers keep going while Redis stops and starts; every 2xx is remembered in answer order
    // (one writer per package, so a package's answers are in its commit order).
    const acknowledged: string[] = [];
    let writing = true;
    const writer = async (w: number) => {
      const mine = tn();
      if ((await post('/packages', ops(), packageBody(mine))).status !== 201) return;
      acknowledged.push(`${mine}:created`);
      for (let i = 0; writing && i < 6; i++) {
        const status = i % 2 ? 'in_transit' : 'at_facility';
        const answer = await post(`/packages/${mine}/scans`, ops(), { status, ...LOUISVILLE });
        if (answer.status === 201) acknowledged.push(`${mine}:${status}`);
        else if (answer.status !== 503) throw new Error(`writer ${w}: ${answer.status} ${JSON.stringify(answer.body)}`);
        await new Promise((r) => setTimeout(r, 30));
      }
    };
    const writers = Promise.all([0, 1, 2].map(writer));
    await new Promise((r) => setTimeout(r, 60));
    await server.stop({ save: true });
    await waitFor(() => bus.health() === 'degraded', 10_000, 'the bus to report degraded');
    expect((await fetch(`${t.http}/health`)).status).toBe(503);

    const during = tn();
    const answers = [
      await post('/packages', ops(), packageBody(during)),
      await post(`/packages/${existing}/scans`, ops(), { status: 'picked_up', ...LOUISVILLE }),
      await post('/schedules', owner(), { name: 'during', depot: DEPOT, vehicles: 1, stops: stops(5) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([201, 201, 202]);
    expect(await packageStatus(existing)).toBe('picked_up');
    // An unstored topic's write is still refused while the bus is down.
    expectRefused(await post('/agents/outage-agent/heartbeat', ops(), { name: 'Outage agent', state: 'idle' }));
    // Authentication is still checked first.
    expect((await post('/packages', undefined, packageBody(tn()))).status).toBe(401);
    // Reads and the open WebSocket keep working.
    expect((await c.request('ping')).type).toBe('pong');
    writing = false;
    await writers;

    // Fill the backlog: once EVENT_BACKLOG_MAX events wait, writes are refused before committing.
    let refused: Answer | undefined;
    let refusedTn = '';
    for (let i = 0; i < BACKLOG_MAX && !refused; i++) {
      refusedTn = tn();
      const answer = await post('/packages', ops(), packageBody(refusedTn));
      if (answer.status === 201) acknowledged.push(`${refusedTn}:created`);
      else refused = answer;
      // The relay recounts the backlog after each failed attempt (every 50 ms).
      await new Promise((r) => setTimeout(r, 60));
    }
    expect(refused).toBeDefined();
    expectRefused(refused!);
    expect(refused!.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect((await getPackage(refusedTn)).status).toBe(404);

    await server.start();
    await waitFor(async () => (await fetch(`${t.http}/health`)).status === 200, 15_000, '/health back to 200');
    // The refused write, retried as Retry-After says, is accepted once the relay drained the backlog.
    await waitFor(
      async () => (await post('/packages', ops(), packageBody(refusedTn))).status === 201,
      10_000,
      'the refused create accepted on retry',
    );
    acknowledged.push(`${refusedTn}:created`);
    const expected = [`${existing}:picked_up`, `${during}:created`, ...acknowledged];
    const seen = () =>
      c
        .all((f) => f.type === 'package_update')
        .map((f) => `${f.data.trackingNumber}:${f.data.status}`)
        .filter((k) => expected.includes(k));
    await waitFor(
      () => expected.every((k) => seen().includes(k)),
      15_000,
      'every acknowledged write after Redis returned',
    );
    await new Promise((r) => setTimeout(r, 200));
    // Nothing twice (ids and payloads), and each package's events in its commit order.
    const frames = c.all((f) => f.type === 'package_update');
    expect(new Set(frames.map((f) => f.id)).size).toBe(frames.length);
    const keys = frames.map((f) => `${f.data.trackingNumber}:${f.data.status}:${f.data.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    const byPackage = new Map<string, number[]>();
    for (const f of frames)
      byPackage.set(f.data.trackingNumber, [...(byPackage.get(f.data.trackingNumber) ?? []), f.data.version]);
    for (const versions of byPackage.values()) expect(versions).toEqual([...versions].sort((a, b) => a - b));
  }, 60_000);
});
