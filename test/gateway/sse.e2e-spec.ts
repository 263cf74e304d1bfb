import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { SseClient } from '../support/sse.js';
import { admin, ops, token, viewer } from '../support/tokens.js';
import { anomaly, connected } from '../support/ws.js';

const tn = trackingNumbers('SSE');

describe('Server-Sent Events GET /sse (docs/PROTOCOL.md section 5, revision 2)', () => {
  let t: TestApp;
  const open: { close(): unknown }[] = [];
  const call = rest(() => t);
  const sse = (query: string, headers: Record<string, string> = {}): SseClient => {
    const c = new SseClient(`${t.http}/sse?${query}`, headers);
    open.push(c);
    return c;
  };
  const scan = (trackingNumber: string, status: string) =>
    postScan(call, trackingNumber, ops(), { status, location: 'Lyon', latitude: 45.76, longitude: 4.84 });
  const newPackage = async (): Promise<string> => {
    const trackingNumber = tn();
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    return trackingNumber;
  };

  beforeAll(async () => {
    t = await startApp({
      SSE_KEEPALIVE_MS: '200',
      WS_MAX_CONNECTIONS_PER_USER: '3',
      WS_MAX_SUBSCRIBERS_PER_RESOURCE: '2',
    });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t.close();
  });

  describe('answered before the stream starts, as JSON', () => {
    it.each([
      ['no token', 'topics=anomalies', 401],
      ['a bad token', `topics=anomalies&token=nope`, 401],
      ['an expired token', `topics=anomalies&token=${token({ expiresIn: -10 })}`, 401],
      ['no topics', `token=${viewer()}`, 400],
      ['51 topics', `token=${viewer()}&topics=${Array.from({ length: 51 }, (_, i) => `package:T${i}`).join(',')}`, 400],
      ['a filter that is not JSON', `token=${viewer()}&topics=anomalies&filter=%7Bnope`, 400],
      [
        'a filter key no topic understands',
        `token=${viewer()}&topics=anomalies&filter=${encodeURIComponent('{"bbox":[0,0,1,1]}')}`,
        400,
      ],
      [
        'a type the topic never carries',
        `token=${viewer()}&topics=anomalies&filter=${encodeURIComponent('{"types":["map_update"]}')}`,
        400,
      ],
      ['an unknown topic', `token=${viewer()}&topics=anomalies,nope`, 404],
      ['a topic the role may not read', `token=${viewer()}&topics=system_health`, 403],
    ])('%s is refused with its status', async (_name, query, status) => {
      const c = sse(query);
      await c.ended;
      expect(c.status).toBe(status);
      expect(c.body).toMatchObject({ statusCode: status, message: expect.any(String) });
    });

    it('404 and 403 name the topics', async () => {
      const unknown = sse(`token=${viewer()}&topics=anomalies,nope`);
      await unknown.ended;
      expect(unknown.body).toMatchObject({ code: 'UNKNOWN_TOPIC', topics: ['nope'] });
      const forbidden = sse(`token=${viewer()}&topics=agent_activity`);
      await forbidden.ended;
      expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN', topics: ['agent_activity'] });
    });

    it("another user's schedule is 403, as for subscribe", async () => {
      const res = await call('POST', '/schedules', token({ sub: 'alice' }), {
        name: 's',
        depot: { latitude: 52.37, longitude: 4.9 },
        vehicles: 1,
        stops: [{ id: 'a', latitude: 52.38, longitude: 4.91 }],
      });
      const c = sse(`token=${token({ sub: 'bob' })}&topics=schedule:${res.body.scheduleId}`);
      await c.ended;
      expect(c.status).toBe(403);
      const own = sse(`topics=schedule:${res.body.scheduleId}`, { authorization: `Bearer ${token({ sub: 'alice' })}` });
      await own.ready;
      expect(own.status).toBe(200);
      expect((await own.next('snapshot')).data.data.scheduleId).toBe(res.body.scheduleId);
    });
  });

  it('streams connected, the snapshot, then each event as id / event / the WebSocket frame JSON', async () => {
    const trackingNumber = await newPackage();
    const topic = `package:${trackingNumber}`;
    const c = sse(`topics=${topic}`, { authorization: `Bearer ${viewer()}` });
    await c.ready;
    expect(c.status).toBe(200);
    expect((await c.next()).event).toBe('connected');
    const snapshot = await c.next();
    const get = await call('GET', `/packages/${trackingNumber}`, viewer());
    expect(snapshot).toMatchObject({
      event: 'snapshot',
      id: undefined,
      data: { type: 'snapshot', topic, data: get.body },
    });
    const ws = await connected(t.ws, '/ws/connect', { token: viewer() });
    open.push(ws);
    await ws.request('subscribe', { topics: [topic] });
    await scan(trackingNumber, 'picked_up');
    const event = await c.next();
    const frame = await ws.next('package_update');
    expect(event).toEqual({ id: frame.id, event: 'package_update', data: frame });
  });

  it('a comment line keeps an idle stream open (every SSE_KEEPALIVE_MS, at most 15 s)', async () => {
    const c = sse(`token=${viewer()}&topics=anomalies`);
    await c.ready;
    await c.commentsAtLeast(3, 3_000);
  });

  it('Last-Event-ID resumes exactly like since: the events after it, no snapshot, no gap', async () => {
    const trackingNumber = await newPackage();
    const topic = `package:${trackingNumber}`;
    const first = sse(`token=${viewer()}&topics=${topic}`);
    await first.next('snapshot');
    await scan(trackingNumber, 'picked_up');
    const seen = await first.next('package_update');
    await first.close();
    await scan(trackingNumber, 'in_transit');
    await scan(trackingNumber, 'at_facility');
    const again = sse(`token=${viewer()}&topics=${topic}`, { 'last-event-id': seen.id! });
    expect((await again.next()).event).toBe('connected');
    expect((await again.next()).data).toMatchObject({ type: 'subscribed', data: { recovered: true } });
    const replayed = [await again.next(), await again.next()];
    expect(replayed.map((m) => [m.event, m.data.data.status])).toEqual([
      ['package_update', 'in_transit'],
      ['package_update', 'at_facility'],
    ]);
    await scan(trackingNumber, 'out_for_delivery');
    expect((await again.next()).data.data.status).toBe('out_for_delivery');
    expect(again.messages.filter((m) => m.event === 'snapshot' || m.event === 'gap')).toHaveLength(0);
    // The query's since is the same resume.
    const bySince = sse(`token=${viewer()}&topics=${topic}&since=${seen.id}`);
    await bySince.next('subscribed');
    expect((await bySince.next()).data.data.status).toBe('in_transit');
  });

  it('a resume that cannot be recovered sends event: gap with the topics, then the snapshots', async () => {
    const trackingNumber = await newPackage();
    const topics = `package:${trackingNumber},anomalies`;
    const c = sse(`token=${viewer()}&topics=${topics}`, { 'last-event-id': '1-0' });
    expect((await c.next()).event).toBe('connected');
    expect((await c.next()).data).toMatchObject({ type: 'subscribed', data: { recovered: false } });
    const gap = await c.next();
    expect(gap).toEqual({ id: undefined, event: 'gap', data: { topics: [`package:${trackingNumber}`, 'anomalies'] } });
    expect((await c.next()).event).toBe('snapshot');
  });

  it('the types filter applies to the stream', async () => {
    const c = sse(`token=${viewer()}&topics=anomalies&filter=${encodeURIComponent('{"types":["anomaly_resolved"]}')}`);
    await c.next('connected');
    const bus = t.app.get(EventBus);
    await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'sse-d' }));
    await bus.publish(
      'anomalies',
      'anomaly_resolved',
      anomaly({ anomalyId: 'sse-r', resolvedAt: new Date().toISOString() }),
    );
    const m = await c.next();
    expect(m).toMatchObject({ event: 'anomaly_resolved', data: { data: { anomalyId: 'sse-r' } } });
  });

  it('the stream ends when the token expires, after an error event TOKEN_EXPIRED', async () => {
    const c = sse(`token=${token({ sub: 'shortlived', expiresIn: 2 })}&topics=anomalies`);
    await c.next('connected');
    const error = await c.next('error', 6_000);
    expect(error.data.data.code).toBe('TOKEN_EXPIRED');
    await c.ended;
  });

  it('the same limits: the per-user connection cap and the per-resource subscriber cap answer 429', async () => {
    const user = token({ sub: 'capped' });
    for (let i = 0; i < 3; i++) await sse(`token=${user}&topics=anomalies`).next('connected');
    const over = sse(`token=${user}&topics=anomalies`);
    await over.ended;
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('LIMIT_EXCEEDED');

    const trackingNumber = await newPackage();
    for (let i = 0; i < 2; i++) await sse(`token=${viewer(`r${i}`)}&topics=package:${trackingNumber}`).next('snapshot');
    const crowded = sse(`token=${viewer('r9')}&topics=package:${trackingNumber}`);
    await crowded.ended;
    expect(crowded.status).toBe(429);
    expect(crowded.body.topics).toEqual([`package:${trackingNumber}`]);
  });

  it('is a connection like any other: listed by the admin API and closed by DELETE', async () => {
    const c = sse(`token=${viewer('listed')}&topics=anomalies`);
    const hello = await c.next('connected');
    const id = hello.data.data.connectionId as string;
    const list = await call('GET', '/ws/connections?userId=listed&endpoint=%2Fsse', admin());
    expect(list.body.items).toEqual([
      expect.objectContaining({ connectionId: id, endpoint: '/sse', topics: ['anomalies'] }),
    ]);
    expect((await call('DELETE', `/ws/connections/${id}`, admin())).status).toBe(204);
    await c.ended;
    await new Promise((r) => setTimeout(r, 50));
    expect((await call('GET', '/ws/connections?userId=listed', admin())).body.total).toBe(0);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.http}/docs-json`)).json()) as { paths: Record<string, { get?: object }> };
    expect(doc.paths['/sse']?.get).toMatchObject({
      parameters: expect.arrayContaining([expect.objectContaining({ name: 'topics', required: true })]),
    });
  });
});
