import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATIC_TOPICS } from '@tracklight/protocol';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { startApp, type TestApp } from '../support/app.js';
import { REDIS_URL, cleanupPrefix, describeWithRedis, uniquePrefix } from '../support/redis.js';
import { admin, noneToken, ops, token, viewer } from '../support/tokens.js';
import { anomaly, connect, connected, mapUpdate, packageUpdate, type Frame, type TestClient } from '../support/ws.js';

/**
 * Rows of docs/PROTOCOL.md that no other suite pins down with the defaults a client sees out of the
 * box: token claims, the reply envelope, the topic read matrix, the HTTP status matrix of
 * section 5, and the default limits of section 6.
 */

const isIso = (s: unknown): boolean => typeof s === 'string' && new Date(s).toISOString() === s;
const SERVER_KEYS = new Set(['type', 'ref', 'topic', 'id', 'data', 'timestamp']);

/** Section 3's envelope for every server frame. */
function expectEnvelope(f: Frame): void {
  expect(Object.keys(f).filter((k) => !SERVER_KEYS.has(k))).toEqual([]);
  expect(typeof f.type).toBe('string');
  expect(typeof f.data).toBe('object');
  expect(f.data).not.toBeNull();
  expect(isIso(f.timestamp)).toBe(true);
}

const describeRedis = await describeWithRedis('contract rules on the Redis bus');
const prefix = uniquePrefix('contract-rules');
afterAll(() => cleanupPrefix(prefix));

const rules = (env: Record<string, string>) => () => {
  let t: TestApp;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    t = await startApp(env);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t.close();
  });

  async function client(bearer: string, path = '/ws/connect'): Promise<TestClient> {
    const c = await connected(t.ws, path, { token: bearer });
    clients.push(c);
    return c;
  }

  async function http(method: string, path: string, bearer?: string, body?: unknown) {
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
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: json };
  }

  describe('section 2: token claims', () => {
    it('roles absent means ["viewer"]: connected says so, and viewer-only rules apply', async () => {
      const c = await client(token({ sub: 'norole' }));
      expect(c.frames[0].data.roles).toEqual(['viewer']);
      const denied = await c.request('subscribe', { topics: ['system_health'] });
      expect(denied.data).toMatchObject({ code: 'FORBIDDEN', topics: ['system_health'] });
      expect((await http('GET', '/agents', token({ sub: 'norole' }))).status).toBe(403);
    });

    it('a token without exp is refused: UNAUTHORIZED and 4401 on WebSocket, 401 over HTTP', async () => {
      const noExp = token({ sub: 'forever', claims: { exp: undefined } });
      expect(JSON.parse(Buffer.from(noExp.split('.')[1], 'base64url').toString())).not.toHaveProperty('exp');
      const c = connect(t.ws, '/ws/connect', { token: noExp });
      expect((await c.closed).code).toBe(4401);
      expect(c.frames).toEqual([
        expect.objectContaining({ type: 'error', data: expect.objectContaining({ code: 'UNAUTHORIZED' }) }),
      ]);
      expect((await http('GET', '/packages', noExp)).status).toBe(401);
    });

    it('the refusal frame is a contract error frame (code, message, timestamp)', async () => {
      const c = connect(t.ws, '/ws/packages', { token: token({ expiresIn: -5 }) });
      await c.closed;
      expectEnvelope(c.frames[0]);
      expect(c.frames[0].data).toEqual({ code: 'TOKEN_EXPIRED', message: expect.any(String) });
    });
  });

  describe('section 3: replies', () => {
    it('subscribe without since: subscribed with exactly data.topics, ref echoed', async () => {
      const c = await client(viewer());
      const r = await c.request('subscribe', { topics: ['anomalies', 'map_updates'] }, 'ref-1');
      expect(r).toMatchObject({ type: 'subscribed', ref: 'ref-1' });
      expect(r.data).toEqual({ topics: ['anomalies', 'map_updates'] });
      expectEnvelope(r);
    });

    it('unsubscribe: unsubscribed with data.topics, ref echoed', async () => {
      const c = await client(viewer());
      await c.request('subscribe', { topics: ['anomalies'] });
      const r = await c.request('unsubscribe', { topics: ['anomalies', 'map_updates'] }, 'ref-2');
      expect(r).toMatchObject({ type: 'unsubscribed', ref: 'ref-2', data: { topics: ['anomalies', 'map_updates'] } });
      expectEnvelope(r);
    });

    it('ping with any data object: pong with an ISO serverTime', async () => {
      const c = await client(viewer());
      for (const data of [undefined, {}, { anything: [1, 'two', { three: null }] }]) {
        const r = await c.request('ping', data);
        expect(r.type).toBe('pong');
        expect(isIso(r.data.serverTime)).toBe(true);
        expectEnvelope(r);
      }
    });

    it('auth: authenticated with an ISO expiresAt matching the new token exp', async () => {
      const c = await client(token({ sub: 'renew' }));
      const fresh = token({ sub: 'renew', expiresIn: 7200 });
      const exp = (JSON.parse(Buffer.from(fresh.split('.')[1], 'base64url').toString()) as { exp: number }).exp;
      const r = await c.request('auth', { token: fresh }, 'ref-3');
      expect(r).toMatchObject({ type: 'authenticated', ref: 'ref-3' });
      expect(isIso(r.data.expiresAt)).toBe(true);
      expect(Date.parse(r.data.expiresAt)).toBe(exp * 1000);
    });

    it('since equal to the latest id: recovered true, no snapshot, then live events', async () => {
      const pkg = `CR${Date.now().toString(36).toUpperCase()}`;
      const created = await http('POST', '/packages', ops(), {
        trackingNumber: pkg,
        carrier: 'DHL',
        origin: { name: 'A', latitude: 1, longitude: 1 },
        destination: { name: 'B', latitude: 1.1, longitude: 1.1 },
        estimatedDelivery: new Date(Date.now() + 86_400_000).toISOString(),
      });
      expect(created.status).toBe(201);
      const first = await client(viewer());
      await first.request('subscribe', { topics: [`package:${pkg}`] });
      await first.next('snapshot');
      await http('POST', `/packages/${pkg}/scans`, ops(), {
        status: 'picked_up',
        location: 'A',
        latitude: 1,
        longitude: 1,
      });
      const last = await first.next('package_update');

      const again = await client(viewer());
      const r = await again.request('subscribe', { topics: [`package:${pkg}`], since: last.id });
      expect(r.data).toEqual({ topics: [`package:${pkg}`], recovered: true });
      await http('POST', `/packages/${pkg}/scans`, ops(), {
        status: 'in_transit',
        location: 'A',
        latitude: 1,
        longitude: 1,
      });
      const live = await again.next('package_update');
      expect(live.data.status).toBe('in_transit');
      expect(again.all('snapshot')).toHaveLength(0);
      expect(again.all('package_update')).toHaveLength(1);
    });

    it('resume on an endpoint whose topic is already held: each missed event once, no duplicate of what came live', async () => {
      const pkg = `RH${Date.now().toString(36).toUpperCase()}`;
      const scan = (status: string) =>
        http('POST', `/packages/${pkg}/scans`, ops(), { status, location: 'A', latitude: 1, longitude: 1 });
      expect(
        (
          await http('POST', '/packages', ops(), {
            trackingNumber: pkg,
            carrier: 'DHL',
            origin: { name: 'A', latitude: 1, longitude: 1 },
            destination: { name: 'B', latitude: 1.1, longitude: 1.1 },
            estimatedDelivery: new Date(Date.now() + 86_400_000).toISOString(),
          })
        ).status,
      ).toBe(201);
      const before = await client(viewer(), '/ws/packages');
      expect((await scan('picked_up')).status).toBe(201);
      const seen = await before.next((f) => f.type === 'package_update' && f.data.status === 'picked_up');
      await before.close();
      // Missed while disconnected.
      expect((await scan('in_transit')).status).toBe(201);
      // Reconnected: package_updates is held from the start, so this one arrives live.
      const after = await client(viewer(), '/ws/packages');
      expect((await scan('at_facility')).status).toBe(201);
      await after.next((f) => f.type === 'package_update' && f.data.status === 'at_facility');
      const r = await after.request('subscribe', { topics: ['package_updates'], since: seen.id });
      expect(r.data).toEqual({ topics: ['package_updates'], recovered: true });
      expect((await scan('out_for_delivery')).status).toBe(201);
      await after.next((f) => f.type === 'package_update' && f.data.status === 'out_for_delivery');
      await after.request('ping');
      const got = after.all((f) => f.type === 'package_update' && f.data.trackingNumber === pkg);
      const ids = got.map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(got.map((f) => f.data.status).sort()).toEqual(['at_facility', 'in_transit', 'out_for_delivery']);
    });

    it('a resume of several topics replays them merged in publish order', async () => {
      const bus = t.app.get(EventBus);
      const since = (await bus.publish('map_updates', 'map_update', mapUpdate())).id;
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push((await bus.publish('map_updates', 'map_update', mapUpdate({ trackingNumber: `M${i}` }))).id);
        ids.push((await bus.publish('anomalies', 'anomaly_detected', anomaly({ anomalyId: `A${i}` }))).id);
      }
      const c = await client(viewer());
      await c.request('subscribe', { topics: ['anomalies', 'map_updates'], since });
      await c.request('ping');
      expect(c.all((f) => f.id !== undefined).map((f) => f.id)).toEqual(ids);
    });

    it('since not retained, with the real modules: recovered false, then the dashboard_metrics snapshot equal to GET /metrics/dashboard', async () => {
      const c = await client(viewer());
      const r = await c.request('subscribe', { topics: ['dashboard_metrics', 'anomalies'], since: '1-0' });
      expect(r.data).toEqual({ topics: ['dashboard_metrics', 'anomalies'], recovered: false });
      const snap = await c.next('snapshot');
      expect(snap.topic).toBe('dashboard_metrics');
      expect(snap.data).toEqual((await http('GET', '/metrics/dashboard', viewer())).body);
      await c.request('ping');
      expect(c.all('snapshot')).toHaveLength(1);
    });

    it.each(['nope', 'package:', 'schedule:', 'package:bad key!', 'PACKAGE_UPDATES'])(
      'UNKNOWN_TOPIC for %j, naming it; the connection stays',
      async (topic) => {
        const c = await client(viewer());
        const err = await c.request('subscribe', { topics: ['anomalies', topic] });
        expect(err).toMatchObject({ type: 'error', data: { code: 'UNKNOWN_TOPIC', topics: [topic] } });
        expect(typeof err.data.message).toBe('string');
        expect((await c.request('ping')).type).toBe('pong');
      },
    );

    it.each([
      ['carrier not a string', { carrier: 5 }],
      ['unknown status', { status: ['teleported'] }],
      ['status not a list', { status: 'delivered' }],
    ])(
      'package_updates filter with a malformed value (%s): INVALID_MESSAGE, nothing subscribed',
      async (_n, filter) => {
        const c = await client(viewer());
        const err = await c.request('subscribe', { topics: ['package_updates'], filter });
        expect(err).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE' } });
        const res = await http('GET', `/ws/connections?userId=vera`, admin());
        const mine = (res.body.items as { connectionId: string; topics: string[] }[]).find(
          (i) => i.connectionId === c.frames[0].data.connectionId,
        );
        expect(mine?.topics).toEqual([]);
        expect((await c.request('ping')).type).toBe('pong');
      },
    );
  });

  describe('section 4: who may read each topic', () => {
    const restricted = new Set(['agent_activity', 'system_health']);
    it.each(['viewer', 'ops', 'admin'] as const)('%s', async (role) => {
      const c = await client(token({ sub: `reader-${role}`, roles: [role] }));
      for (const topic of [...STATIC_TOPICS, 'package:ANY123']) {
        const r = await c.request('subscribe', { topics: [topic] });
        const allowed = role !== 'viewer' || !restricted.has(topic);
        if (allowed) expect(r).toMatchObject({ type: 'subscribed', data: { topics: [topic] } });
        else expect(r).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN', topics: [topic] } });
      }
    });
  });

  describe('section 5: HTTP status matrix', () => {
    const uuid = randomUUID();
    const routes: [string, string][] = [
      ['GET', '/ws/status'],
      ['GET', '/ws/connections'],
      ['DELETE', '/ws/connections/nope'],
      ['POST', '/packages'],
      ['POST', '/packages/TN404/scans'],
      ['GET', '/packages/TN404'],
      ['GET', '/packages'],
      ['GET', '/anomalies'],
      ['GET', '/metrics/dashboard'],
      ['POST', '/agents/a1/heartbeat'],
      ['GET', '/agents'],
      ['POST', '/schedules'],
      ['GET', `/schedules/${uuid}`],
      ['POST', `/schedules/${uuid}/cancel`],
    ];

    it.each(routes)(
      '%s %s: 401 JSON without a token and with a malformed, wrongly signed, alg none or expired one',
      async (method, path) => {
        const refused = [
          undefined,
          'not-a-jwt',
          token({ secret: 'wrong-wrong-wrong-wrong-wrong-wrong-wrong' }),
          noneToken(),
          token({ expiresIn: -5 }),
        ];
        for (const bearer of refused) {
          const r = await http(method, path, bearer, method === 'GET' || method === 'DELETE' ? undefined : {});
          expect(r.status).toBe(401);
          expect(r.type).toMatch(/application\/json/);
          expect(r.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
        }
      },
    );

    it.each([
      ['GET', '/ws/status', ['viewer', 'ops']],
      ['GET', '/ws/connections', ['viewer', 'ops']],
      ['DELETE', '/ws/connections/nope', ['viewer', 'ops']],
      ['POST', '/packages', ['viewer']],
      ['POST', '/packages/TN404/scans', ['viewer']],
      ['POST', '/agents/a1/heartbeat', ['viewer']],
      ['GET', '/agents', ['viewer']],
    ] as [string, string, string[]][])('%s %s: 403 JSON for the wrong role', async (method, path, roles) => {
      for (const role of roles) {
        const r = await http(method, path, token({ roles: [role] }), method === 'POST' ? {} : undefined);
        expect(r.status).toBe(403);
        expect(r.type).toMatch(/application\/json/);
        expect(r.body).toMatchObject({ statusCode: 403, message: expect.any(String) });
      }
    });

    it.each([
      ['POST', '/packages', ['trackingNumber', 'carrier', 'origin', 'destination', 'estimatedDelivery']],
      ['POST', '/packages/TN404/scans', ['status', 'location', 'latitude', 'longitude']],
      ['POST', '/agents/a1/heartbeat', ['name', 'state']],
      ['POST', '/schedules', ['name', 'depot', 'vehicles', 'stops']],
    ] as [string, string, string[]][])(
      '%s %s with an empty body: 400 naming the failing fields',
      async (method, path, fields) => {
        const r = await http(method, path, admin(), {});
        expect(r.status).toBe(400);
        expect(r.type).toMatch(/application\/json/);
        const named = (r.body.fields as { field: string }[]).map((f) => f.field);
        expect(named).toEqual(expect.arrayContaining(fields));
      },
    );

    it.each([
      ['GET', '/packages/TN404'],
      ['POST', '/packages/TN404/scans'],
      ['GET', `/schedules/${uuid}`],
      ['POST', `/schedules/${uuid}/cancel`],
      ['DELETE', '/ws/connections/nope'],
    ])('%s %s for an unknown entity: 404 JSON', async (method, path) => {
      const body = path.endsWith('/scans')
        ? { status: 'picked_up', location: 'X', latitude: 1, longitude: 1 }
        : undefined;
      const r = await http(method, path, admin(), body);
      expect(r.status).toBe(404);
      expect(r.type).toMatch(/application\/json/);
      expect(r.body).toMatchObject({ statusCode: 404, message: expect.any(String) });
    });

    it('GET /health needs no token and answers { status: "ok" }', async () => {
      const r = await http('GET', '/health');
      expect(r).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('POST /packages: 201 with the package, 409 JSON when the tracking number exists', async () => {
      const body = {
        trackingNumber: `DUP${Date.now().toString(36).toUpperCase()}`,
        carrier: 'UPS',
        origin: { name: 'A', latitude: 1, longitude: 1 },
        destination: { name: 'B', latitude: 2, longitude: 2 },
        estimatedDelivery: new Date(Date.now() + 86_400_000).toISOString(),
      };
      const created = await http('POST', '/packages', ops(), body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ trackingNumber: body.trackingNumber, carrier: 'UPS', status: 'created' });
      expect(created.body).toEqual((await http('GET', `/packages/${body.trackingNumber}`, viewer())).body);
      const dup = await http('POST', '/packages', ops(), body);
      expect(dup.status).toBe(409);
      expect(dup.type).toMatch(/application\/json/);
    });

    it('GET /schedules/:id and cancel by a user who is neither the owner nor admin: 403 (wrong role)', async () => {
      const accepted = await http('POST', '/schedules', viewer('owner-s'), {
        name: 'x',
        depot: { latitude: 52.37, longitude: 4.9 },
        vehicles: 1,
        stops: [{ id: 'a', latitude: 52.3, longitude: 4.8 }],
      });
      expect(accepted.status).toBe(202);
      const id = accepted.body.scheduleId as string;
      expect((await http('GET', `/schedules/${id}`, viewer('owner-s'))).status).toBe(200);
      expect((await http('GET', `/schedules/${id}`, admin())).status).toBe(200);
      const other = await http('GET', `/schedules/${id}`, ops('not-owner'));
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ statusCode: 403 });
      expect((await http('POST', `/schedules/${id}/cancel`, ops('not-owner'))).status).toBe(403);
    });
  });

  describe('section 6: default limits', () => {
    it('rate limit: a burst of 100 messages is served, the excess gets RATE_LIMITED (ref echoed) and is dropped; the connection stays', async () => {
      const c = await client(viewer('burst'));
      for (let i = 0; i < 130; i++) c.send({ type: 'ping', ref: `b${i}` });
      // Every message gets its reply, matched by ref: a pong, or RATE_LIMITED for a dropped one.
      const replies = await Promise.all(Array.from({ length: 130 }, (_, i) => c.next((f) => f.ref === `b${i}`)));
      const pongs = replies.filter((f) => f.type === 'pong').length;
      const limited = replies.filter((f) => f.type === 'error' && f.data.code === 'RATE_LIMITED').length;
      expect(pongs).toBeGreaterThanOrEqual(100);
      expect(limited).toBeGreaterThan(0);
      expect(pongs + limited).toBe(130);
      expect(c.ws.readyState).toBe(c.ws.OPEN);
      // Tokens come back at 50 per second.
      await new Promise((r) => setTimeout(r, 100));
      expect((await c.request('ping')).type).toBe('pong');
    });

    it('frame size: exactly 64 KiB is served, one byte more closes with 1009', async () => {
      const c = await client(viewer('sizer'));
      const frame = (bytes: number): string => {
        const head = '{"type":"ping","ref":"big","data":{"pad":"';
        return `${head}${'x'.repeat(bytes - head.length - 3)}"}}`;
      };
      expect(Buffer.byteLength(frame(64 * 1024))).toBe(64 * 1024);
      const reply = c.next((f) => f.ref === 'big');
      c.send(frame(64 * 1024));
      expect((await reply).type).toBe('pong');
      c.send(frame(64 * 1024 + 1));
      expect((await c.closed).code).toBe(1009);
    });

    it('ref: 64 characters are echoed', async () => {
      const c = await client(viewer());
      const ref = 'r'.repeat(64);
      expect(await c.request('ping', undefined, ref)).toMatchObject({ type: 'pong', ref });
    });

    it('subscriptions: 200 per connection, the next request gets LIMIT_EXCEEDED and nothing', async () => {
      const c = await client(viewer('collector'));
      for (let batch = 0; batch < 4; batch++) {
        const topics = Array.from({ length: 50 }, (_, i) => `package:L${batch}x${i}`);
        expect((await c.request('subscribe', { topics })).type).toBe('subscribed');
      }
      const err = await c.request('subscribe', { topics: ['package:ONEMORE', 'package:L0x0'] });
      expect(err.data).toMatchObject({ code: 'LIMIT_EXCEEDED', topics: ['package:ONEMORE'] });
    });

    it('connections: 20 per user, the 21st gets an error and 4429', async () => {
      const mine = await Promise.all(
        Array.from({ length: 20 }, () => connected(t.ws, '/ws/connect', { token: viewer('crowd') })),
      );
      const extra = connect(t.ws, '/ws/connect', { token: viewer('crowd') });
      expect((await extra.closed).code).toBe(4429);
      expect(extra.frames[0]).toMatchObject({ type: 'error' });
      await Promise.all(mine.map((c) => c.close()));
    });

    it('per-IP limits are off by default: 30 users from one address all connect', async () => {
      const many = await Promise.all(
        Array.from({ length: 30 }, (_, i) => connected(t.ws, '/ws/connect', { token: viewer(`ip-user-${i}`) })),
      );
      expect(many.every((c) => c.frames[0].type === 'connected')).toBe(true);
      await Promise.all(many.map((c) => c.close()));
    });

    it('1000: a normal close is answered with 1000', async () => {
      const c = await connected(t.ws, '/ws/connect', { token: viewer('polite') });
      expect((await c.close(1000)).code).toBe(1000);
    });
  });
};

describe('contract rules (defaults, in-process bus)', rules({}));
describeRedis('contract rules (defaults, Redis bus)', rules({ REDIS_URL, REDIS_PREFIX: prefix }));

describe('section 1: JWT_PUBLIC_KEY with an EC key accepts ES256 instead of HS256', () => {
  const ec = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const b64 = (v: object): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const es256 = (sub: string, key = ec.privateKey): string => {
    const head = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ sub, roles: ['ops'], exp: Math.floor(Date.now() / 1000) + 600 })}`;
    const sig = sign('sha256', Buffer.from(head), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    return `${head}.${sig}`;
  };
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ JWT_PUBLIC_KEY: ec.publicKey });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an ES256 token signed by the matching key is accepted over WebSocket and HTTP', async () => {
    const jwt = es256('elle');
    const c = await connected(t.ws, '/ws/agents', { token: jwt });
    expect(c.frames[0].data).toMatchObject({ userId: 'elle', roles: ['ops'] });
    await c.close();
    const res = await fetch(`${t.http}/agents`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(res.status).toBe(200);
  });

  it('an ES256 token from another key, and an HS256 token, are refused with 4401', async () => {
    const other = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    for (const jwt of [es256('mallory', other.privateKey), token({ sub: 'mallory' })]) {
      const c = connect(t.ws, '/ws/connect', { token: jwt });
      expect((await c.closed).code).toBe(4401);
      expect(c.frames[0].data.code).toBe('UNAUTHORIZED');
    }
  });
});

describe('section 3: resume of an endpoint topic right after a restart (durable history)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a resume on /ws/packages before any live event replays what the previous process published', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tracklight-contract-'));
    dirs.push(dataDir);
    const first = await startApp({ DATA_DIR: dataDir });
    const bus = first.app.get(EventBus);
    const before: string[] = [];
    for (let n = 0; n < 3; n++) {
      before.push(
        (await bus.publish('package_updates', 'package_update', packageUpdate({ trackingNumber: `RS${n}` }))).id,
      );
    }
    await first.close();

    const second = await startApp({ DATA_DIR: dataDir });
    try {
      const c = await connected(second.ws, '/ws/packages', { token: viewer() });
      const r = await c.request('subscribe', { topics: ['package_updates'], since: before[0] });
      expect(r.data).toEqual({ topics: ['package_updates'], recovered: true });
      const live = await second.app
        .get(EventBus)
        .publish('package_updates', 'package_update', packageUpdate({ trackingNumber: 'RS3' }));
      await c.next((f) => f.id === live.id);
      expect(c.all('package_update').map((f) => f.id)).toEqual([before[1], before[2], live.id]);
      await c.close();
    } finally {
      await second.close();
    }
  });
});
