import fc from 'fast-check';
import {
  CLIENT_FRAME_TYPES,
  ENDPOINTS,
  EVENT_TYPES,
  RESOURCE_ENDPOINTS,
  type EndpointPath,
} from '@tracklight/protocol';
import { parseClientFrame } from '@tracklight/protocol/validation';
import { validateSchema, type JsonSchema } from '../../libs/protocol/src/schema/index.js';
import { startApp, type TestApp } from '../support/app.js';
import { admin, viewer } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * The AsyncAPI document at /asyncapi.json is generated from libs/protocol; this suite checks it
 * against the running gateway: every frame a live app sends during real flows validates against
 * the document's schemas, and the client schemas accept exactly what the gateway's parser accepts.
 */
// CI (CI=true) runs a fixed seed unless FUZZ_SEED says otherwise; local runs explore a new one each time.
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI === 'true'
    ? 20261122
    : Date.now() % 2 ** 31;

// The document is JSON: walked generically.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

function resolver(doc: Doc): (ref: string) => JsonSchema | undefined {
  return (ref) => {
    if (!ref.startsWith('#/')) return undefined;
    let node: Doc = doc;
    for (const part of ref.slice(2).split('/')) node = node?.[part];
    return node as JsonSchema | undefined;
  };
}

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('AsyncAPI document of the WebSocket protocol', () => {
  let t: TestApp;
  let doc: Doc;
  beforeAll(async () => {
    t = await startApp({
      HEALTH_INTERVAL_MS: '100',
      METRICS_PUBLISH_MS: '50',
      AGENT_TIMEOUT_MS: '300',
      // The live check sends hundreds of frames; the rate limit has its own suite.
      WS_RATE_PER_SECOND: '10000',
      WS_RATE_BURST: '10000',
    });
    const res = await fetch(`${t.http}/asyncapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    doc = await res.json();
  });
  afterAll(async () => {
    await t.close();
  });

  const serverSchema = (type: string): JsonSchema | undefined => doc.components.schemas[`server_${type}`];
  const validateServerFrame = (frame: Frame): string[] => {
    const schema = serverSchema(frame.type);
    if (!schema) return [`no message "${frame.type}" in the document`];
    return validateSchema(schema, frame, resolver(doc)).map((e) => `${e.path} ${e.message}`);
  };
  const clientSchema: JsonSchema = {
    oneOf: CLIENT_FRAME_TYPES.map((type) => ({ $ref: `#/components/schemas/client_${type}` })),
  };

  it('is AsyncAPI 3.0 with one channel per endpoint, every message, and no dangling $ref', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.servers.gateway).toMatchObject({ protocol: 'ws', host: `127.0.0.1:${t.port}` });
    const addresses = Object.values(doc.channels as Record<string, { address: string }>).map((c) => c.address);
    expect(addresses.sort()).toEqual([...Object.keys(ENDPOINTS), ...Object.keys(RESOURCE_ENDPOINTS)].sort());
    const names = Object.keys(doc.components.messages as object);
    for (const type of CLIENT_FRAME_TYPES) expect(names).toContain(`client_${type}`);
    for (const type of ['connected', 'subscribed', 'unsubscribed', 'pong', 'authenticated', 'snapshot', 'error']) {
      expect(names).toContain(`server_${type}`);
    }
    for (const type of EVENT_TYPES) expect(names).toContain(`server_${type}`);
    const resolve = resolver(doc);
    for (const ref of refsIn(doc)) expect([ref, resolve(ref) !== undefined]).toEqual([ref, true]);
    for (const id of Object.keys(doc.channels as object)) {
      expect(doc.operations[`${id}_receive`].action).toBe('receive');
      expect(doc.operations[`${id}_send`].action).toBe('send');
    }
  });

  it('every frame the gateway sends during real flows validates against the document', async () => {
    const me = 'ada';
    const token = admin(me);
    const clients: TestClient[] = [];
    for (const path of Object.keys(ENDPOINTS) as EndpointPath[]) clients.push(await connected(t.ws, path, { token }));
    const [connect] = clients;
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${t.http}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    // Control frames: replies and every kind of error.
    expect((await connect.request('subscribe', { topics: ['anomalies', 'package:TNASYNC1'] })).type).toBe('subscribed');
    expect((await connect.request('subscribe', { topics: ['anomalies'], since: '1-0' })).type).toBe('subscribed');
    expect((await connect.request('unsubscribe', { topics: ['anomalies'] })).type).toBe('unsubscribed');
    expect((await connect.request('subscribe', { topics: ['anomalies'] })).type).toBe('subscribed');
    expect((await connect.request('ping')).type).toBe('pong');
    expect((await connect.request('auth', { token: admin(me) })).type).toBe('authenticated');
    expect((await connect.request('subscribe', { topics: ['nope'] })).data.code).toBe('UNKNOWN_TOPIC');
    expect((await connect.request('dance')).data.code).toBe('UNKNOWN_TYPE');
    expect((await connect.request('subscribe', { topics: [] })).data.code).toBe('INVALID_MESSAGE');
    connect.send('not json');
    await connect.next((f) => f.type === 'error' && f.data.code === 'INVALID_JSON');
    const v = await connected(t.ws, '/ws/connect', { token: viewer('vic') });
    clients.push(v);
    expect((await v.request('subscribe', { topics: ['agent_activity'] })).data.code).toBe('FORBIDDEN');

    // Real traffic through the HTTP API: packages, scans (an impossible jump opens an anomaly),
    // agents (and their offline timeout), a schedule (progress, completion, owner notification).
    const tn = 'TNASYNC1';
    expect(
      (
        await api('POST', '/packages', {
          trackingNumber: tn,
          carrier: 'DHL',
          origin: { name: 'Lyon', latitude: 45.76, longitude: 4.84 },
          destination: { name: 'Paris', latitude: 48.86, longitude: 2.35 },
          estimatedDelivery: new Date(Date.now() + 86_400_000).toISOString(),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('POST', `/packages/${tn}/scans`, {
          status: 'in_transit',
          location: 'Lyon',
          latitude: 45.7,
          longitude: 4.8,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await api('POST', `/packages/${tn}/scans`, {
          status: 'at_facility',
          location: 'Tokyo',
          latitude: 35.7,
          longitude: 139.7,
        })
      ).status,
    ).toBe(201);
    expect(
      (await api('POST', '/agents/agent-async/heartbeat', { name: 'Router', state: 'busy', action: 'x' })).status,
    ).toBeLessThan(300);
    const scheduled = await api('POST', '/schedules', {
      name: 'async',
      depot: { latitude: 45.76, longitude: 4.84 },
      vehicles: 1,
      stops: [
        { id: 'a', latitude: 45.8, longitude: 4.9 },
        { id: 'b', latitude: 45.7, longitude: 4.7 },
        { id: 'c', latitude: 45.9, longitude: 4.8 },
      ],
    });
    expect(scheduled.status).toBe(202);
    const { topic: scheduleTopic } = (await scheduled.json()) as { topic: string };
    const sub = await connect.request('subscribe', { topics: [scheduleTopic] });
    expect(sub.type).toBe('subscribed');
    // A large schedule cancelled at once ends with schedule_failed (CANCELLED).
    const big = await api('POST', '/schedules', {
      name: 'async-cancelled',
      depot: { latitude: 45.76, longitude: 4.84 },
      vehicles: 3,
      stops: Array.from({ length: 1500 }, (_, i) => ({
        id: `s${i}`,
        latitude: 45 + (i % 37) / 37,
        longitude: 4 + (i % 41) / 41,
      })),
    });
    expect(big.status).toBe(202);
    const { scheduleId: bigId, topic: bigTopic } = (await big.json()) as { scheduleId: string; topic: string };
    expect((await connect.request('subscribe', { topics: [bigTopic] })).type).toBe('subscribed');
    // 1,500 stops take the solver seconds: the cancel lands while it is queued or running.
    expect((await api('POST', `/schedules/${bigId}/cancel`)).status).toBe(200);
    // The same place again after the impossible jump: the travel condition clears (anomaly_resolved).
    expect(
      (
        await api('POST', `/packages/${tn}/scans`, {
          status: 'out_for_delivery',
          location: 'Tokyo',
          latitude: 35.7,
          longitude: 139.7,
        })
      ).status,
    ).toBe(201);

    const all = (): Frame[] => clients.flatMap((c) => c.frames);
    const seen = (type: string): boolean => all().some((f) => f.type === type);
    const required = [
      'connected',
      'subscribed',
      'unsubscribed',
      'pong',
      'authenticated',
      'snapshot',
      'error',
      'package_update',
      'map_update',
      'anomaly_detected',
      'dashboard_metrics',
      'notification',
      'agent_activity',
      'system_health',
      'schedule_completed',
      'schedule_failed',
      'anomaly_resolved',
    ];
    const deadline = Date.now() + 15_000;
    while (required.some((type) => !seen(type)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // The agent's timeout (300 ms) publishes it offline: wait for that too.
    await clients[4].next((f) => f.type === 'agent_activity' && f.data.state === 'offline', 5_000);

    const failures = all()
      .map((f) => ({ type: f.type, errors: validateServerFrame(f) }))
      .filter((r) => r.errors.length);
    expect(failures).toEqual([]);
    expect(required.filter((type) => !seen(type))).toEqual([]);
    const types = new Set(all().map((f) => f.type));
    console.log(
      `asyncapi: ${all().length} live frames of ${types.size} types validated: ${[...types].sort().join(', ')}`,
    );
    await Promise.all(clients.map((c) => c.close()));
  }, 40_000);

  it('a frame violating the document is refused by the validator (the check can fail)', () => {
    const frame = { type: 'pong', data: { serverTime: 'yesterday' }, timestamp: new Date().toISOString() };
    expect(validateServerFrame(frame as Frame)).not.toEqual([]);
    const event = { type: 'map_update', topic: 'map_updates', data: {}, timestamp: new Date().toISOString() };
    expect(validateServerFrame(event as Frame).join(' ')).toMatch(/misses id/);
  });

  describe(`client frames: the schemas accept exactly what the gateway accepts (seed ${SEED})`, () => {
    const str = (max: number) =>
      fc.oneof(
        fc.string({ maxLength: 3 }),
        fc.integer({ min: max - 1, max: max + 1 }).map((n) => 'x'.repeat(n)),
      );
    const notString = fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}));
    const topics = fc.oneof(
      fc.array(fc.oneof(str(200), notString), { minLength: 0, maxLength: 3 }),
      fc.integer({ min: 49, max: 51 }).map((n) => Array(n).fill('anomalies') as string[]),
      notString,
    );
    const filter = fc.oneof(
      notString,
      fc.record(
        {
          bbox: fc.oneof(
            fc.array(fc.oneof(fc.integer({ min: -181, max: 181 }), fc.double({ noNaN: true })), { maxLength: 5 }),
            notString,
          ),
          minSeverity: fc.oneof(fc.constantFrom('low', 'medium', 'high', 'critical', 'severe'), notString),
          carrier: fc.oneof(str(100), notString),
          status: fc.oneof(fc.array(fc.constantFrom('delivered', 'exception', 'lost'), { maxLength: 9 }), notString),
          other: fc.integer(),
        },
        { requiredKeys: [] },
      ),
    );
    const data = fc.oneof(
      notString,
      fc.record(
        {
          topics,
          since: fc.oneof(str(64), notString),
          filter,
          token: fc.oneof(str(8192), notString),
          extra: fc.integer(),
        },
        { requiredKeys: [] },
      ),
    );
    const frame = fc.record(
      {
        type: fc.oneof(fc.constantFrom(...CLIENT_FRAME_TYPES), fc.constantFrom('pong', 'Subscribe'), notString),
        ref: fc.oneof(str(64), notString),
        data,
        extra: fc.integer(),
      },
      { requiredKeys: [] },
    );

    it('in-process: parseClientFrame and the document agree on generated frames', () => {
      const resolve = resolver(doc);
      fc.assert(
        fc.property(frame, (value) => {
          const text = JSON.stringify(value);
          const accepted = parseClientFrame(text).ok;
          const errors = validateSchema(clientSchema, JSON.parse(text), resolve);
          expect({ text, accepted }).toEqual({ text, accepted: errors.length === 0 });
        }),
        { seed: SEED, numRuns: 3000, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
      );
    });

    it('live: frames valid by the document are never refused as malformed, invalid ones always are', async () => {
      const c = await connected(t.ws, '/ws/connect', { token: admin('ada') });
      const resolve = resolver(doc);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          frame.filter((f) => f.data === undefined || typeof f.data !== 'object' || !('filter' in (f.data ?? {}))),
          async (value) => {
            const ref = `live-${n++}`;
            const sent = { ...value, ref };
            const valid = validateSchema(clientSchema, sent, resolve).length === 0;
            c.send(sent);
            // The probe's pong comes after the answer to the frame (handled in order).
            c.send({ type: 'ping', ref: `${ref}-probe` });
            await c.next((f) => f.ref === `${ref}-probe`, 10_000);
            const refused = c.all(
              (f) =>
                f.ref === ref &&
                f.type === 'error' &&
                ['INVALID_MESSAGE', 'UNKNOWN_TYPE'].includes(f.data.code as string),
            );
            expect({ sent, refused: refused.length > 0 }).toEqual({ sent, refused: !valid });
          },
        ),
        { seed: SEED, numRuns: 150, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
      );
      await c.close();
    }, 30_000);
  });
});
