import { EVENT_TYPES, type EventType } from '@tracklight/protocol';
import { EVENT_PAYLOAD_SCHEMAS, validateSchema } from '../../libs/protocol/src/schema/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { REDIS_URL, cleanupPrefix, describeWithRedis, uniquePrefix } from '../support/redis.js';
import { admin, ops, token } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * docs/PROTOCOL.md section 4, event by event: every frame below is produced by the real feature
 * modules through their real REST actions (or their timers), captured on a real WebSocket, and
 * checked against the contract's required fields, types and enums, and the frame envelope of
 * section 3.
 */

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string' && v.length > 0;
const object: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Event types this suite does not produce, each with the spec that captures it on a real socket.
 * A new event type is either produced below or named here: otherwise the last test fails.
 */
const COVERED_ELSEWHERE: Partial<Record<EventType, string>> = {
  vehicle_position: 'test/vehicles/vehicles.e2e-spec.ts',
};
const EXPECTED = EVENT_TYPES.filter((type) => !COVERED_ELSEWHERE[type]);

/**
 * The fields of `data` that break the contract, as readable strings (empty when it conforms):
 * the payload schema declared in libs/protocol, plus the rules a schema cannot state.
 */
function violations(type: EventType, data: Record<string, unknown>): string[] {
  const out = validateSchema(EVENT_PAYLOAD_SCHEMAS[type], data).map((e) => `${type}${e.path.slice(1)} ${e.message}`);
  if (type === 'anomaly_detected' && data.resolvedAt !== undefined) out.push('anomaly_detected has resolvedAt');
  if (type === 'anomaly_resolved' && data.resolvedAt === undefined) out.push('anomaly_resolved without resolvedAt');
  if (type === 'notification' && data.userId !== undefined && !str(data.userId)) out.push('notification.userId');
  return out;
}

/** Section 3's envelope of an event frame. */
function envelopeViolations(f: Frame): string[] {
  const out: string[] = [];
  if (!str(f.topic)) out.push(`${f.type}: topic`);
  if (!str(f.id)) out.push(`${f.type}: id`);
  if (!object(f.data)) out.push(`${f.type}: data`);
  if (typeof f.timestamp !== 'string' || new Date(f.timestamp).toISOString() !== f.timestamp) {
    out.push(`${f.type}: timestamp ${f.timestamp}`);
  }
  const allowed = new Set(['type', 'ref', 'topic', 'id', 'data', 'timestamp']);
  for (const key of Object.keys(f)) if (!allowed.has(key)) out.push(`${f.type}: extra key ${key}`);
  return out;
}

const DEPOT = { latitude: 52.37, longitude: 4.9 };
function stops(n: number, extra: (i: number) => object = () => ({})): object[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    latitude: 52.2 + ((i * 37) % 100) / 280,
    longitude: 4.6 + ((i * 53) % 100) / 170,
    serviceMinutes: 2,
    ...extra(i),
  }));
}

const describeRedis = await describeWithRedis('contract events on the Redis bus');
const prefix = uniquePrefix('contract-events');
afterAll(() => cleanupPrefix(prefix));

const suite = (env: Record<string, string>) => () => {
  let t: TestApp;
  let watcher: TestClient;
  const clients: TestClient[] = [];
  const root = admin('root');

  async function call(method: string, path: string, bearer: string | undefined, body?: unknown) {
    const res = await fetch(`${t.http}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    // Received JSON, asserted field by field.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const json: any = text ? JSON.parse(text) : undefined;
    return { status: res.status, body: json };
  }

  async function client(bearer: string, path = '/ws/connect'): Promise<TestClient> {
    const c = await connected(t.ws, path, { token: bearer });
    clients.push(c);
    return c;
  }

  async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = await read();
      if (done(v)) return v;
      if (Date.now() > deadline) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const seen: Frame[] = [];
  beforeAll(async () => {
    t = await startApp({
      ...env,
      SCHEDULER_WORKERS: '1',
      AGENT_TIMEOUT_MS: '300',
      HEALTH_INTERVAL_MS: '200',
      METRICS_PUBLISH_MS: '50',
    });
    watcher = await client(root);
    const sub = await watcher.request('subscribe', {
      topics: [
        'package_updates',
        'map_updates',
        'anomalies',
        'dashboard_metrics',
        'notifications',
        'agent_activity',
        'system_health',
      ],
    });
    expect(sub.type).toBe('subscribed');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.close();
  });

  /** The next event of `type` (optionally matching), checked against the contract, recorded. */
  async function event(c: TestClient, type: EventType, match: (f: Frame) => boolean = () => true): Promise<Frame> {
    const f = await c.next((x) => x.type === type && match(x), 20_000);
    expect([...envelopeViolations(f), ...violations(type, f.data as Record<string, unknown>)]).toEqual([]);
    seen.push(f);
    return f;
  }

  const tn = `CC${Date.now().toString(36).toUpperCase()}`;
  it('package_update (created, then a scan) and map_update, on their topics', async () => {
    const created = await call('POST', '/packages', ops(), {
      trackingNumber: tn,
      carrier: 'FedEx',
      origin: { name: 'Reims', latitude: 49.26, longitude: 4.03 },
      destination: { name: 'Berlin', latitude: 52.52, longitude: 13.4 },
      estimatedDelivery: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const first = await event(watcher, 'package_update', (f) => f.data.trackingNumber === tn);
    expect(first).toMatchObject({ topic: 'package_updates', data: { status: 'created', carrier: 'FedEx' } });

    const scan = await call('POST', `/packages/${tn}/scans`, ops(), {
      status: 'in_transit',
      location: 'Reims',
      latitude: 49.26,
      longitude: 4.03,
    });
    expect(scan.status).toBe(201);
    const update = await event(watcher, 'package_update', (f) => f.data.trackingNumber === tn);
    expect(update.data).toMatchObject({ status: 'in_transit', location: 'Reims', latitude: 49.26, longitude: 4.03 });
    const map = await event(watcher, 'map_update', (f) => f.data.trackingNumber === tn);
    expect(map).toMatchObject({ topic: 'map_updates', data: { status: 'in_transit', latitude: 49.26 } });
    expect(map.data.packageId).toBe(first.data.packageId);
  });

  it('package:{trackingNumber} carries package_update with the same fields', async () => {
    const c = await client(token({ sub: 'pat' }));
    await c.request('subscribe', { topics: [`package:${tn}`] });
    const snap = await c.next('snapshot');
    expect(snap.topic).toBe(`package:${tn}`);
    expect((await call('GET', `/packages/${tn}`, token({ sub: 'pat' }))).body).toEqual(snap.data);
    await call('POST', `/packages/${tn}/scans`, ops(), {
      status: 'at_facility',
      location: 'Reims hub',
      latitude: 49.26,
      longitude: 4.03,
    });
    const f = await event(c, 'package_update');
    expect(f).toMatchObject({ topic: `package:${tn}`, data: { status: 'at_facility' } });
  });

  it('anomaly_detected, anomaly_acknowledged and anomaly_resolved (with resolvedAt), from a rejected backward scan', async () => {
    const back = await call('POST', `/packages/${tn}/scans`, ops(), {
      status: 'picked_up',
      location: 'Reims hub',
      latitude: 49.26,
      longitude: 4.03,
    });
    expect(back.status).toBe(409);
    const detected = await event(
      watcher,
      'anomaly_detected',
      (f) => f.data.trackingNumber === tn && f.data.anomalyType === 'status_regression',
    );
    expect(detected.topic).toBe('anomalies');
    const ack = await call('POST', `/anomalies/${detected.data.anomalyId}/acknowledge`, ops('olga'));
    expect(ack.status).toBe(200);
    const acknowledged = await event(
      watcher,
      'anomaly_acknowledged',
      (f) => f.data.anomalyId === detected.data.anomalyId,
    );
    expect(acknowledged.data).toMatchObject({ acknowledgedBy: 'olga' });
    const forward = await call('POST', `/packages/${tn}/scans`, ops(), {
      status: 'out_for_delivery',
      location: 'Reims depot',
      latitude: 49.26,
      longitude: 4.03,
    });
    expect(forward.status).toBe(201);
    const resolved = await event(watcher, 'anomaly_resolved', (f) => f.data.anomalyId === detected.data.anomalyId);
    expect(resolved.data.anomalyType).toBe(detected.data.anomalyType);
  });

  it('dashboard_metrics: snapshot on /ws/dashboard equals GET /metrics/dashboard, live frames conform', async () => {
    const c = await client(token({ sub: 'dana' }), '/ws/dashboard');
    const snap = await c.next('snapshot');
    expect(snap.topic).toBe('dashboard_metrics');
    expect(violations('dashboard_metrics', snap.data as Record<string, unknown>)).toEqual([]);
    const http = await call('GET', '/metrics/dashboard', token({ sub: 'dana' }));
    expect(http.status).toBe(200);
    expect(http.body).toEqual(snap.data);
    const live = await event(watcher, 'dashboard_metrics', (f) => f.data.totalPackages >= 1);
    expect(live.topic).toBe('dashboard_metrics');
  });

  it('agent_activity for a heartbeat, and offline once the agent is silent past its timeout', async () => {
    const res = await call('POST', '/agents/contract-agent/heartbeat', ops(), {
      name: 'Contract',
      state: 'busy',
      action: 'checking',
    });
    expect(res.status).toBeLessThan(300);
    const busy = await event(watcher, 'agent_activity', (f) => f.data.agentId === 'contract-agent');
    expect(busy).toMatchObject({ topic: 'agent_activity', data: { state: 'busy', action: 'checking' } });
    const off = await event(
      watcher,
      'agent_activity',
      (f) => f.data.agentId === 'contract-agent' && f.data.state === 'offline',
    );
    expect(off.data.name).toBe('Contract');
  });

  it('system_health: snapshot on /ws/agents and periodic frames', async () => {
    const c = await client(ops('ozzy'), '/ws/agents');
    const snap = await c.next('snapshot');
    expect(snap.topic).toBe('system_health');
    expect(violations('system_health', snap.data as Record<string, unknown>)).toEqual([]);
    const live = await event(watcher, 'system_health');
    expect(live.topic).toBe('system_health');
    expect(live.data.connections).toBeGreaterThanOrEqual(1);
  });

  it('schedule_progress, schedule_completed (result), schedule_failed (error code and details, CANCELLED and solver codes)', async () => {
    const alice = token({ sub: 'alice-c' });
    const owner = await client(alice);
    const submit = (body: object) => call('POST', '/schedules', alice, body);
    // The only worker is held by a long job, so the owner subscribes before the others start.
    const blocker = await submit({ name: 'blocker', depot: DEPOT, vehicles: 1, stops: stops(4000) });
    expect(blocker.status).toBe(202);
    const blockerId = blocker.body.scheduleId as string;
    await owner.request('subscribe', { topics: [`schedule:${blockerId}`, 'notifications'] });
    await until(
      () => call('GET', `/schedules/${blockerId}`, alice),
      (r) => r.body.status === 'running',
      'blocker running',
    );
    const ok = await submit({ name: 'ok', depot: DEPOT, vehicles: 2, stops: stops(12) });
    const bad = await submit({
      name: 'infeasible',
      depot: DEPOT,
      vehicles: 1,
      stops: stops(6, (i) => (i === 3 ? { windowEnd: 0.01 } : {})),
    });
    expect([ok.status, bad.status]).toEqual([202, 202]);
    const okId = ok.body.scheduleId as string;
    const badId = bad.body.scheduleId as string;
    await owner.request('subscribe', { topics: [`schedule:${okId}`, `schedule:${badId}`] });
    const cancel = await call('POST', `/schedules/${blockerId}/cancel`, alice);
    expect(cancel.status).toBe(200);

    const cancelled = await event(owner, 'schedule_failed', (f) => f.topic === `schedule:${blockerId}`);
    expect(cancelled.data).toMatchObject({ scheduleId: blockerId, error: { code: 'CANCELLED' } });
    const progress = await event(owner, 'schedule_progress', (f) => f.topic === `schedule:${okId}`);
    expect(progress.data.scheduleId).toBe(okId);
    const done = await event(owner, 'schedule_completed', (f) => f.topic === `schedule:${okId}`);
    expect(done.data.progress).toBe(100);
    const failed = await event(owner, 'schedule_failed', (f) => f.topic === `schedule:${badId}`);
    expect(failed.data.error.code).toBe('INFEASIBLE');

    // The snapshot of a finished schedule is exactly GET /schedules/:id, status included.
    for (const [id, status] of [
      [okId, 'completed'],
      [badId, 'failed'],
      [blockerId, 'cancelled'],
    ] as const) {
      const late = await client(alice);
      await late.request('subscribe', { topics: [`schedule:${id}`] });
      const snap = await late.next('snapshot');
      const http = await call('GET', `/schedules/${id}`, alice);
      expect(snap.topic).toBe(`schedule:${id}`);
      expect(snap.data).toEqual(http.body);
      expect(snap.data.status).toBe(status);
    }

    // Every schedule frame of each topic conforms, and progress never decreases.
    for (const id of [blockerId, okId, badId]) {
      const frames = owner.all((f) => f.topic === `schedule:${id}` && f.type.startsWith('schedule_'));
      for (const f of frames) {
        expect([...envelopeViolations(f), ...violations(f.type as EventType, f.data)]).toEqual([]);
      }
      const p = frames.map((f) => f.data.progress as number);
      expect([...p].sort((a, b) => a - b)).toEqual(p);
    }
  }, 60_000);

  it('notification: the schedule owner is told (userId), and anomaly notifications conform', async () => {
    const owner = clients.find((c) => c.frames[0]?.data.userId === 'alice-c')!;
    const mine = await event(owner, 'notification', (f) => f.data.userId === 'alice-c');
    expect(mine.topic).toBe('notifications');
    // A notification for one user reaches only that user, even an admin watching everything does not get it.
    expect(watcher.all((f) => f.type === 'notification' && f.data.userId === 'alice-c')).toEqual([]);
    // A broadcast: impossible travel (New York to Los Angeles in a minute) notifies everyone.
    const far = `${tn}X`;
    const ny = { location: 'New York', latitude: 40.71, longitude: -74.0 };
    const la = { location: 'Los Angeles', latitude: 34.05, longitude: -118.24 };
    const ahead = (s: number) => new Date(Date.now() + s * 1000).toISOString();
    const created = await call('POST', '/packages', ops(), {
      trackingNumber: far,
      carrier: 'UPS',
      origin: { name: 'New York', latitude: 40.71, longitude: -74.0 },
      destination: { name: 'Los Angeles', latitude: 34.05, longitude: -118.24 },
      estimatedDelivery: ahead(86_400),
    });
    expect(created.status).toBe(201);
    expect(
      (await call('POST', `/packages/${far}/scans`, ops(), { status: 'picked_up', ...ny, scannedAt: ahead(1) })).status,
    ).toBe(201);
    expect(
      (await call('POST', `/packages/${far}/scans`, ops(), { status: 'in_transit', ...la, scannedAt: ahead(61) }))
        .status,
    ).toBe(201);
    const broadcast = await event(watcher, 'notification', (f) => String(f.data.title).includes(far));
    expect(broadcast.data.userId).toBeUndefined();
    expect(broadcast.data.level).toBe('critical');
    // Every notification the watcher got so far conforms too.
    for (const f of watcher.all('notification')) {
      expect([...envelopeViolations(f), ...violations('notification', f.data)]).toEqual([]);
    }
  });

  it('every event type of section 4 was seen and checked; ids are unique per connection', () => {
    const types = new Set(seen.map((f) => f.type));
    expect([...types].sort()).toEqual([...EXPECTED].sort());
    const ids = watcher.all((f) => typeof f.id === 'string').map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Every event frame the watcher got, not only the ones awaited, conforms.
    for (const f of watcher.all((x) => (EVENT_TYPES as readonly string[]).includes(x.type))) {
      expect([...envelopeViolations(f), ...violations(f.type as EventType, f.data)]).toEqual([]);
    }
  });
};

describe('section 4: every event type carries its required fields (in-process bus)', suite({}));
describeRedis(
  'section 4: every event type carries its required fields (Redis bus)',
  suite({ REDIS_URL, REDIS_PREFIX: prefix }),
);
