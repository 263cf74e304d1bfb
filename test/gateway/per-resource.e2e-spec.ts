import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { admin, ops, token, viewer } from '../support/tokens.js';
import { connect, connected, type TestClient } from '../support/ws.js';

const tn = trackingNumbers('RES');
const alice = () => token({ sub: 'alice', roles: ['viewer'] });
const bob = () => token({ sub: 'bob', roles: ['viewer'] });
const DEPOT = { latitude: 52.37, longitude: 4.9 };
const STOPS = [
  { id: 'a', latitude: 52.38, longitude: 4.91 },
  { id: 'b', latitude: 52.36, longitude: 4.88 },
];

describe('per-resource endpoints and the per-resource cap (docs/PROTOCOL.md sections 2 and 6, revision 2)', () => {
  let t: TestApp;
  const open: TestClient[] = [];
  const call = rest(() => t);
  const track = (c: TestClient): TestClient => {
    open.push(c);
    return c;
  };
  const scan = (trackingNumber: string, status: string) =>
    postScan(call, trackingNumber, ops(), { status, location: 'Lyon', latitude: 45.76, longitude: 4.84 });

  beforeAll(async () => {
    t = await startApp({ WS_MAX_SUBSCRIBERS_PER_RESOURCE: '3' });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t.close();
  });

  it('/ws/packages/{tn}: connected, then the snapshot, then live events', async () => {
    const trackingNumber = tn();
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    const c = track(connect(t.ws, `/ws/packages/${trackingNumber}`, { token: viewer() }));
    const first = await c.next();
    expect(first).toMatchObject({
      type: 'connected',
      data: { endpoint: '/ws/packages/{trackingNumber}', topics: [`package:${trackingNumber}`] },
    });
    const snapshot = await c.next();
    const rest = await call('GET', `/packages/${trackingNumber}`, viewer());
    expect(snapshot).toMatchObject({ type: 'snapshot', topic: `package:${trackingNumber}`, data: rest.body });
    await scan(trackingNumber, 'picked_up');
    const live = await c.next('package_update');
    expect(live).toMatchObject({ topic: `package:${trackingNumber}`, data: { status: 'picked_up' } });
    // Every client message of section 3 works there too.
    expect((await c.request('ping')).type).toBe('pong');
  });

  it('with since in the query string it resumes instead of sending a snapshot', async () => {
    const trackingNumber = tn();
    await postPackage(call, ops(), packageBody(trackingNumber));
    const first = track(await connected(t.ws, `/ws/packages/${trackingNumber}`, { token: viewer() }));
    await scan(trackingNumber, 'picked_up');
    const seen = await first.next('package_update');
    await first.close();
    await scan(trackingNumber, 'in_transit');
    await scan(trackingNumber, 'at_facility');
    const c = track(connect(t.ws, `/ws/packages/${trackingNumber}?since=${seen.id}`, { token: viewer() }));
    expect((await c.next()).type).toBe('connected');
    expect((await c.next()).data).toEqual({ topics: [`package:${trackingNumber}`], recovered: true });
    expect((await c.next()).data.status).toBe('in_transit');
    expect((await c.next()).data.status).toBe('at_facility');
    expect(c.all('snapshot')).toHaveLength(0);
  });

  it('an unknown tracking number gets UNKNOWN_TOPIC and close 4404', async () => {
    const c = track(connect(t.ws, `/ws/packages/${tn('NOPE')}`, { token: viewer() }));
    expect((await c.next()).data).toMatchObject({
      code: 'UNKNOWN_TOPIC',
      topics: [expect.stringMatching(/^package:/)],
    });
    expect((await c.closed).code).toBe(4404);
    expect(c.all('connected')).toHaveLength(0);
  });

  it('a path that cannot name a resource is an HTTP 404 like any other unknown path', async () => {
    const c = connect(t.ws, '/ws/packages/%20bad', { token: viewer() });
    await expect(c.opened).rejects.toThrow('HTTP 404');
    const d = connect(t.ws, '/ws/schedules/', { token: viewer() });
    await expect(d.opened).rejects.toThrow('HTTP 404');
  });

  it('a bad token on a per-resource endpoint is refused like on any endpoint (4401)', async () => {
    const c = connect(t.ws, `/ws/packages/${tn()}`, { token: 'nope' });
    expect((await c.next()).data.code).toBe('UNAUTHORIZED');
    expect((await c.closed).code).toBe(4401);
  });

  describe('/ws/schedules/{id}', () => {
    let scheduleId: string;
    beforeAll(async () => {
      const res = await call('POST', '/schedules', alice(), { name: 'r', depot: DEPOT, vehicles: 1, stops: STOPS });
      expect(res.status).toBe(202);
      scheduleId = res.body.scheduleId as string;
    });

    it('its owner gets connected then the schedule snapshot', async () => {
      const c = track(connect(t.ws, `/ws/schedules/${scheduleId}`, { token: alice() }));
      expect((await c.next()).data).toMatchObject({
        endpoint: '/ws/schedules/{scheduleId}',
        topics: [`schedule:${scheduleId}`],
      });
      const snapshot = await c.next();
      expect(snapshot).toMatchObject({ type: 'snapshot', topic: `schedule:${scheduleId}`, data: { scheduleId } });
    });

    it('an admin may follow it', async () => {
      const c = track(await connected(t.ws, `/ws/schedules/${scheduleId}`, { token: admin() }));
      expect((await c.next('snapshot')).data.scheduleId).toBe(scheduleId);
    });

    it('anyone else gets FORBIDDEN and 4403', async () => {
      const c = track(connect(t.ws, `/ws/schedules/${scheduleId}`, { token: bob() }));
      expect((await c.next()).data).toMatchObject({ code: 'FORBIDDEN', topics: [`schedule:${scheduleId}`] });
      expect((await c.closed).code).toBe(4403);
    });

    it('an unknown schedule gets UNKNOWN_TOPIC and 4404', async () => {
      const c = track(connect(t.ws, '/ws/schedules/no-such-schedule', { token: admin() }));
      expect((await c.next()).data.code).toBe('UNKNOWN_TOPIC');
      expect((await c.closed).code).toBe(4404);
    });
  });

  describe('WS_MAX_SUBSCRIBERS_PER_RESOURCE (3 here)', () => {
    it('one more subscribe gets LIMIT_EXCEEDED naming the topic; other topics of the request are not subscribed', async () => {
      const trackingNumber = tn();
      await postPackage(call, ops(), packageBody(trackingNumber));
      const topic = `package:${trackingNumber}`;
      for (let i = 0; i < 3; i++) {
        const c = track(await connected(t.ws, '/ws/connect', { token: viewer(`u${i}`) }));
        expect((await c.request('subscribe', { topics: [topic] })).type).toBe('subscribed');
      }
      const extra = track(await connected(t.ws, '/ws/connect', { token: viewer('u9') }));
      const refused = await extra.request('subscribe', { topics: ['anomalies', topic] });
      expect(refused).toMatchObject({ type: 'error', data: { code: 'LIMIT_EXCEEDED', topics: [topic] } });
      expect(refused.data.message).toContain(topic);
      // A client already holding the topic may subscribe again (not a new subscriber).
      const again = await open[0].request('subscribe', { topics: [topic] });
      expect(again.type).toBe('subscribed');
      // Once one leaves, the next one fits.
      await open[1].close();
      const fits = await extra.request('subscribe', { topics: [topic] });
      expect(fits.type).toBe('subscribed');
    });

    it('on a per-resource endpoint one more is closed with 4429', async () => {
      const trackingNumber = tn();
      await postPackage(call, ops(), packageBody(trackingNumber));
      for (let i = 0; i < 3; i++)
        track(await connected(t.ws, `/ws/packages/${trackingNumber}`, { token: viewer(`p${i}`) }));
      const c = track(connect(t.ws, `/ws/packages/${trackingNumber}`, { token: viewer('p9') }));
      expect((await c.next()).data).toMatchObject({ code: 'LIMIT_EXCEEDED', topics: [`package:${trackingNumber}`] });
      expect((await c.closed).code).toBe(4429);
    });

    it('topics other than package:{tn} and schedule:{id} have no such cap', async () => {
      for (let i = 0; i < 4; i++) {
        const c = track(await connected(t.ws, '/ws/connect', { token: viewer(`a${i}`) }));
        expect((await c.request('subscribe', { topics: ['anomalies'] })).type).toBe('subscribed');
      }
    });
  });
});
