import { pack } from 'msgpackr';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { startApp, type TestApp } from '../support/app.js';
import { EncodedClient } from '../support/encoded-client.js';
import { packageBody, postPackage, rest, trackingNumbers } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { anomaly } from '../support/ws.js';

const tn = trackingNumbers('MP');

describe('MessagePack subprotocol tracklight.msgpack.v1 (docs/PROTOCOL.md section 3, revision 2)', () => {
  let t: TestApp;
  const open: EncodedClient[] = [];
  const client = async (path: string, msgpack = true, token = viewer()): Promise<EncodedClient> => {
    const c = new EncodedClient(`${t.ws}${path}`, { token, msgpack });
    open.push(c);
    await c.opened;
    await c.next('connected');
    return c;
  };

  beforeAll(async () => {
    t = await startApp();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await t.close();
  });

  it('is chosen in the handshake when offered, and every server frame is binary MessagePack', async () => {
    const c = new EncodedClient(`${t.ws}/ws/dashboard`, { token: viewer('mia'), msgpack: true });
    open.push(c);
    await c.opened;
    expect(c.ws.protocol).toBe('tracklight.msgpack.v1');
    const connected = await c.next('connected');
    expect(c.binary(connected)).toBe(true);
    expect(connected.data).toMatchObject({ userId: 'mia', endpoint: '/ws/dashboard', protocolVersion: 1 });
    const snapshot = await c.next('snapshot');
    expect(c.binary(snapshot)).toBe(true);
    expect(typeof snapshot.timestamp).toBe('string');
    expect(new Date(snapshot.timestamp).toISOString()).toBe(snapshot.timestamp);
  });

  it('without the offer the connection stays JSON in text frames', async () => {
    const c = await client('/ws/connect', false);
    expect(c.ws.protocol).toBe('');
    const pong = await c.request('ping');
    expect(c.binary(pong)).toBe(false);
  });

  it('client frames are MessagePack too: subscribe, then events carry the same object a JSON client gets', async () => {
    const m = await client('/ws/connect');
    const j = await client('/ws/connect', false);
    const m2 = await client('/ws/connect');
    for (const c of [m, j, m2])
      expect((await c.request('subscribe', { topics: ['anomalies'] })).type).toBe('subscribed');
    await t.app
      .get(EventBus)
      .publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: 'mp-1', confidenceScore: 0.25 }));
    const [fromPacked, fromJson, fromPacked2] = await Promise.all([m, j, m2].map((c) => c.next('anomaly_detected')));
    expect(m.binary(fromPacked)).toBe(true);
    expect(j.binary(fromJson)).toBe(false);
    expect(fromPacked).toEqual(fromJson);
    expect(fromPacked2).toEqual(fromJson);
    expect(Object.keys(fromPacked)).toEqual(['type', 'topic', 'id', 'data', 'timestamp']);
  });

  it('replays (since) and snapshots of real state come the same way', async () => {
    const call = rest(() => t);
    const trackingNumber = tn();
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    const c = await client(`/ws/packages/${trackingNumber}`);
    const snapshot = await c.next('snapshot');
    const get = await call('GET', `/packages/${trackingNumber}`, viewer());
    expect(snapshot.data).toEqual(get.body);
    const r = await c.request('subscribe', { topics: ['package_updates'], since: '0-0' });
    expect(r.type).toBe('subscribed');
  });

  it('a text frame on a MessagePack connection is INVALID_MESSAGE; the connection stays open', async () => {
    const c = await client('/ws/connect');
    c.ws.send(JSON.stringify({ type: 'ping', ref: 'x' }));
    const error = await c.next('error');
    expect(c.binary(error)).toBe(true);
    expect(error.data.code).toBe('INVALID_MESSAGE');
    expect((await c.request('ping')).type).toBe('pong');
  });

  it('bytes that are not MessagePack, or a value that is not a map, are INVALID_JSON; a bad message is INVALID_MESSAGE with its ref', async () => {
    const c = await client('/ws/connect');
    c.ws.send(Buffer.from([0xc1]), { binary: true }); // 0xc1: never used in MessagePack
    expect((await c.next('error')).data.code).toBe('INVALID_JSON');
    c.ws.send(pack([1, 2]), { binary: true });
    expect((await c.next('error')).data.code).toBe('INVALID_JSON');
    const bad = await c.request('subscribe', { topics: [] }, 'bad-1');
    expect(bad).toMatchObject({ type: 'error', ref: 'bad-1', data: { code: 'INVALID_MESSAGE' } });
    const unknown = await c.request('dance', {}, 'bad-2');
    expect(unknown.data.code).toBe('UNKNOWN_TYPE');
  });

  it('a refused MessagePack connection gets its error frame in MessagePack, then the close code', async () => {
    const c = new EncodedClient(`${t.ws}/ws/connect`, { token: 'not-a-jwt', msgpack: true });
    open.push(c);
    const error = await c.next('error');
    expect(c.binary(error)).toBe(true);
    expect(error.data.code).toBe('UNAUTHORIZED');
    expect((await c.closed).code).toBe(4401);
  });
});
