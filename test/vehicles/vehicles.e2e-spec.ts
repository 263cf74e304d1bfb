import type { Socket } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { GatewayMetrics } from '../../apps/gateway/src/observability/gateway-metrics.js';
import { EVENT_PAYLOAD_SCHEMAS, validateSchema } from '../../libs/protocol/src/schema/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { describeOnBackends } from '../support/backends.js';
import { rest } from '../support/http.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * The vehicles module (docs/extending.md's worked example): REST positions, `vehicle_positions`
 * with `bbox` and per-vehicle conflation, `vehicle:{vehicleId}` with its snapshot, on real
 * sockets against SQLite and PostgreSQL.
 */
let serial = 0;
const vehicleId = () => `van-${Date.now().toString(36)}-${serial++}`;
const rawSocket = (c: TestClient): Socket => (c.ws as unknown as { _socket: Socket })._socket;
const conforms = (f: Frame) => validateSchema(EVENT_PAYLOAD_SCHEMAS.vehicle_position, f.data);

await describeOnBackends('vehicles on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());
  const report = (id: string, body: object, bearer = ops()) => call('POST', `/vehicles/${id}/positions`, bearer, body);
  const client = async (bearer = viewer()) =>
    ctx.track(await connected(ctx.app().ws, '/ws/connect', { token: bearer }));
  const positionOf = (id: string) => (f: Frame) => f.type === 'vehicle_position' && f.data.vehicleId === id;

  it('POST requires ops or admin, a valid vehicle id and body (400 names the failing fields)', async () => {
    const id = vehicleId();
    const ok = { latitude: 52.37, longitude: 4.9 };
    expect((await report(id, ok, viewer())).status).toBe(403);
    expect((await report(id, ok, '')).status).toBe(401);
    const bad = await report(id, { latitude: 91, longitude: 'east', speedKmh: -1, heading: 400 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'heading',
      'latitude',
      'longitude',
      'speedKmh',
    ]);
    const missing = await report(id, {});
    expect(missing.status).toBe(400);
    expect(missing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['latitude', 'longitude']);
    const badId = await report('-nope-', ok);
    expect(badId.status).toBe(400);
    expect(badId.body.fields[0].field).toBe('vehicleId');
    // Nothing above was stored.
    expect((await call('GET', `/vehicles/${id}`, viewer())).status).toBe(404);
  });

  it('a position is stored, published on vehicle_positions and vehicle:{id}, and read back by GET', async () => {
    const id = vehicleId();
    const fleet = await client();
    const one = await client();
    expect((await fleet.request('subscribe', { topics: ['vehicle_positions'] })).type).toBe('subscribed');
    expect((await one.request('subscribe', { topics: [`vehicle:${id}`] })).type).toBe('subscribed');

    const res = await report(id, { latitude: 52.37, longitude: 4.9, speedKmh: 42.5, heading: 90 }, admin());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      vehicleId: id,
      latitude: 52.37,
      longitude: 4.9,
      speedKmh: 42.5,
      heading: 90,
      reportedAt: expect.any(String),
    });
    const onFleet = await fleet.next(positionOf(id));
    const onOne = await one.next(positionOf(id));
    expect(onFleet.topic).toBe('vehicle_positions');
    expect(onOne.topic).toBe(`vehicle:${id}`);
    expect(onFleet.data).toEqual(res.body);
    expect(onOne.data).toEqual(res.body);
    expect(conforms(onFleet)).toEqual([]);

    const got = await call('GET', `/vehicles/${id}`, viewer());
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    // Optional fields stay absent when not reported.
    const bare = await report(id, { latitude: 52.38, longitude: 4.91 });
    expect(bare.body).toEqual({ vehicleId: id, latitude: 52.38, longitude: 4.91, reportedAt: expect.any(String) });
    const list = await call('GET', '/vehicles', viewer());
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(bare.body);
    expect((await call('GET', '/vehicles/never-seen-1', viewer())).status).toBe(404);
  });

  it('bbox on vehicle_positions delivers only positions inside the box', async () => {
    const inside = vehicleId();
    const outside = vehicleId();
    const c = await client();
    const sub = await c.request('subscribe', { topics: ['vehicle_positions'], filter: { bbox: [4, 52, 5.5, 53] } });
    expect(sub.type).toBe('subscribed');
    expect((await report(outside, { latitude: 48.85, longitude: 2.35 })).status).toBe(200);
    expect((await report(inside, { latitude: 52.5, longitude: 4.8 })).status).toBe(200);
    await c.next(positionOf(inside));
    expect(c.all(positionOf(outside))).toEqual([]);
    // The key is declared for vehicle_positions only: a vehicle topic refuses it.
    const refused = await c.request('subscribe', { topics: [`vehicle:${inside}`], filter: { bbox: [4, 52, 5.5, 53] } });
    expect(refused.type).toBe('error');
    expect(refused.data.code).toBe('INVALID_MESSAGE');
  });

  it('vehicle:{id} sends the GET /vehicles/:id object as its snapshot; an unknown vehicle sends none', async () => {
    const id = vehicleId();
    const posted = await report(id, { latitude: 51.92, longitude: 4.48, heading: 180 });
    const c = await client();
    const sub = await c.request('subscribe', { topics: [`vehicle:${id}`] });
    expect(sub.type).toBe('subscribed');
    const snap = await c.next('snapshot');
    expect(snap.topic).toBe(`vehicle:${id}`);
    expect(snap.data).toEqual(posted.body);
    expect(snap.data).toEqual((await call('GET', `/vehicles/${id}`, viewer())).body);

    const none = await client();
    expect((await none.request('subscribe', { topics: ['vehicle:never-seen-2'] })).type).toBe('subscribed');
    expect((await none.request('ping')).type).toBe('pong');
    expect(none.all('snapshot')).toEqual([]);
  });
});

await describeOnBackends(
  'vehicles for a lagging client on %s',
  { env: { WS_MAX_BUFFERED_BYTES: String(1024 * 1024), WS_CONFLATE_BYTES: String(128 * 1024) } },
  (ctx) => {
    it('vehicle_positions is conflated per vehicle: the latest of each arrives, other events are kept', async () => {
      const bus = ctx.app().app.get(EventBus);
      const metrics = ctx.app().app.get(GatewayMetrics);
      const c = ctx.track(await connected(ctx.app().ws, '/ws/connect', { token: viewer('lagging-van') }));
      const sub = await c.request('subscribe', { topics: ['vehicle_positions', 'notifications'] });
      expect(sub.type).toBe('subscribed');
      rawSocket(c).pause();
      const pad = 'v'.repeat(8 * 1024);
      const vans = ['lag-1', 'lag-2'];
      const before = metrics.conflated;
      let i = 0;
      while ((metrics.conflated - before < 200 || i < 600) && i < 20_000) {
        const vehicle = vans[i % 2];
        await bus.publish('vehicle_positions', 'vehicle_position', {
          vehicleId: vehicle,
          latitude: 52,
          longitude: 4 + (i % 100) / 100,
          reportedAt: new Date().toISOString(),
          seq: i,
          pad,
        });
        if (i % 100 === 0) {
          await bus.publish('notifications', 'notification', {
            notificationId: `N${i}`,
            level: 'info',
            title: 't',
            message: 'm',
          });
        }
        if (i % 50 === 0) await tick();
        i += 1;
      }
      expect(metrics.conflated - before).toBeGreaterThanOrEqual(200);
      rawSocket(c).resume();
      const last = i - 1;
      await c.next((f) => f.type === 'vehicle_position' && f.data.seq === last, 20_000);
      await c.next((f) => f.type === 'vehicle_position' && f.data.seq === last - 1, 20_000);
      const notes = c.all('notification').map((f) => f.data.notificationId as string);
      expect(notes).toEqual(Array.from({ length: Math.ceil(i / 100) }, (_, n) => `N${n * 100}`));
      expect(c.all('vehicle_position').length).toBeLessThan(i);
      expect((await c.request('ping')).type).toBe('pong');
    }, 60_000);
  },
);

describe('simulated vans (SIMULATOR=on)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SIMULATOR: 'on', SIMULATOR_RATE: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('move on the demo map: each van reports through VehiclesService (the service behind the REST route), inside its area, and advances', async () => {
    const c = await connected(t.ws, '/ws/connect', { token: viewer() });
    const sub = await c.request('subscribe', { topics: ['vehicle_positions'], filter: { bbox: [3, 51, 6, 53] } });
    expect(sub.type).toBe('subscribed');
    const first = await c.next((f) => f.type === 'vehicle_position' && f.data.vehicleId === 'van-1', 10_000);
    const second = await c.next(
      (f) => f.type === 'vehicle_position' && f.data.vehicleId === 'van-1' && f !== first,
      10_000,
    );
    expect(validateSchema(EVENT_PAYLOAD_SCHEMAS.vehicle_position, second.data)).toEqual([]);
    expect([first.data.latitude, first.data.longitude]).not.toEqual([second.data.latitude, second.data.longitude]);
    const stored = await rest(() => t)('GET', '/vehicles/van-1', viewer());
    expect(stored.status).toBe(200);
    expect(stored.body.vehicleId).toBe('van-1');
    await c.close();
  }, 30_000);
});
