import { ENDPOINTS, type EndpointPath } from '@tracklight/protocol';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { SnapshotRegistry } from '../../apps/gateway/src/snapshots/snapshot-registry.js';
import { startApp, type TestApp } from '../support/app.js';
import { rawUpgrade } from '../support/raw-upgrade.js';
import { noneToken, ops, token, viewer } from '../support/tokens.js';
import { connect, connected, dashboardMetrics } from '../support/ws.js';

describe('gateway: connecting (docs/PROTOCOL.md section 2)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(Object.keys(ENDPOINTS) as EndpointPath[])(
    '%s: first frame is connected with its auto-topics',
    async (path) => {
      const c = await connected(t.ws, path, { token: ops('otto') });
      const first = c.frames[0];
      expect(first.type).toBe('connected');
      expect(first.data).toMatchObject({
        endpoint: path,
        userId: 'otto',
        roles: ['ops'],
        topics: [...ENDPOINTS[path]],
        heartbeatIntervalMs: 30_000,
        protocolVersion: 1,
        instanceId: t.config.instanceId,
      });
      expect(typeof first.data.connectionId).toBe('string');
      expect(new Date(first.timestamp).toISOString()).toBe(first.timestamp);
      await c.close();
    },
  );

  it.each([
    ['/ws/packages', 'package_updates', 'package_update'],
    ['/ws/dashboard', 'dashboard_metrics', 'dashboard_metrics'],
    ['/ws/dashboard', 'notifications', 'notification'],
    ['/ws/map', 'map_updates', 'map_update'],
    ['/ws/map', 'package_updates', 'package_update'],
    ['/ws/agents', 'agent_activity', 'agent_activity'],
    ['/ws/agents', 'system_health', 'system_health'],
  ] as const)('%s delivers live %s events without a subscribe', async (path, topic, type) => {
    const c = await connected(t.ws, path, { token: ops() });
    const bus = t.app.get(EventBus);
    // Past any snapshot the endpoint sends first: a ping round trip orders it before the event.
    await c.request('ping');
    const event = await bus.publish(topic, type, { marker: `${path}:${topic}` } as never);
    expect(await c.next((f) => f.id === event.id)).toMatchObject({ type, topic, data: { marker: `${path}:${topic}` } });
    await c.close();
  });

  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const c = await connected(t.ws, '/ws/connect', {
      token: viewer('forwarded'),
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    const res = await fetch(`${t.http}/ws/connections?userId=forwarded`, {
      headers: { authorization: `Bearer ${token({ sub: 'root', roles: ['admin'] })}` },
    });
    expect(((await res.json()) as { items: { remoteAddress: string }[] }).items[0].remoteAddress).toBe('127.0.0.1');
    await c.close();
  });

  it('accepts the token in the Authorization header', async () => {
    const c = await connected(t.ws, '/ws/packages', { token: viewer('hedy'), header: true });
    expect(c.frames[0].data.userId).toBe('hedy');
    await c.close();
  });

  it.each(['/ws/unknown', '/ws/', '/ws/packages/extra/more', '/ws/dashboard/extra', '/elsewhere'])(
    'answers an upgrade on %s with HTTP 404',
    async (path) => {
      const answer = await rawUpgrade(t.port, `${path}?token=${viewer()}`);
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    },
  );

  it('frames sent before connected are answered after it, in order', async () => {
    const c = connect(t.ws, '/ws/connect', { token: viewer() });
    await c.opened;
    c.send({ type: 'ping', ref: 'early-1' });
    c.send({ type: 'subscribe', ref: 'early-2', data: { topics: ['anomalies'] } });
    await c.next((f) => f.ref === 'early-2');
    expect(c.frames.map((f) => f.ref ?? f.type)).toEqual(['connected', 'early-1', 'early-2']);
    await c.close();
  });

  it('still serves plain HTTP routes', async () => {
    expect((await fetch(`${t.http}/health`)).status).toBe(200);
  });

  const refusals: [string, number, string, () => string | undefined][] = [
    ['missing', 4401, 'UNAUTHORIZED', () => undefined],
    ['malformed', 4401, 'UNAUTHORIZED', () => 'not-a-jwt'],
    ['badly signed', 4401, 'UNAUTHORIZED', () => token({ secret: 'another-secret-another-secret-another-secret' })],
    ['alg none', 4401, 'UNAUTHORIZED', () => noneToken()],
    ['sub-less', 4401, 'UNAUTHORIZED', () => token({ sub: '' })],
    ['bad roles', 4401, 'UNAUTHORIZED', () => token({ roles: ['root'] })],
    ['expired', 4408, 'TOKEN_EXPIRED', () => token({ expiresIn: -10 })],
  ];
  it.each(refusals)('a %s token gets one error frame and close %i', async (_name, closeCode, errorCode, make) => {
    const c = connect(t.ws, '/ws/packages', { token: make() });
    const closed = await c.closed;
    expect(closed.code).toBe(closeCode);
    expect(c.frames).toHaveLength(1);
    expect(c.frames[0]).toMatchObject({ type: 'error', data: { code: errorCode } });
  });

  it('refuses an endpoint whose topics the user may not read with FORBIDDEN and 4403', async () => {
    const c = connect(t.ws, '/ws/agents', { token: viewer() });
    expect((await c.closed).code).toBe(4403);
    expect(c.frames).toEqual([
      expect.objectContaining({
        type: 'error',
        data: expect.objectContaining({ code: 'FORBIDDEN', topics: ['agent_activity', 'system_health'] }),
      }),
    ]);
  });

  it('sends snapshots of the auto-topics that have one after connected', async () => {
    t.app.get(SnapshotRegistry).register('dashboard_metrics', {
      snapshot: () => Promise.resolve(dashboardMetrics({ totalPackages: 7 })),
    });
    const c = await connected(t.ws, '/ws/dashboard', { token: viewer() });
    const snap = await c.next('snapshot');
    expect(snap).toMatchObject({ topic: 'dashboard_metrics', data: { totalPackages: 7 } });
    expect(c.frames.map((f) => f.type)).toEqual(['connected', 'snapshot']);
    await c.close();
  });

  it('fans an event out to every subscriber of its topic, serialised once', async () => {
    const a = await connected(t.ws, '/ws/packages', { token: viewer('a') });
    const b = await connected(t.ws, '/ws/map', { token: viewer('b') });
    const bus = t.app.get(EventBus);
    const event = await bus.publish('package_updates', 'package_update', {
      packageId: 'p1',
      trackingNumber: 'TN1',
      status: 'in_transit',
      location: 'Lyon',
      latitude: 45.7,
      longitude: 4.8,
      carrier: 'DHL',
      estimatedDelivery: '2026-12-01T00:00:00.000Z',
      lastScanTime: '2026-11-22T00:00:00.000Z',
      version: 1,
    });
    const [fa, fb] = await Promise.all([a.next('package_update'), b.next('package_update')]);
    for (const f of [fa, fb]) {
      expect(f).toEqual({
        type: 'package_update',
        topic: 'package_updates',
        id: event.id,
        data: event.data,
        timestamp: event.timestamp,
      });
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('subscribe replies subscribed with the ref, then delivers live events of the topic', async () => {
    const c = await connected(t.ws, '/ws/connect', { token: viewer() });
    const reply = await c.request('subscribe', { topics: ['anomalies'] }, 'sub-1');
    expect(reply).toMatchObject({ type: 'subscribed', ref: 'sub-1', data: { topics: ['anomalies'] } });
    const bus = t.app.get(EventBus);
    const event = await bus.publish('anomalies', 'anomaly_detected', {
      anomalyId: 'a1',
      packageId: 'p1',
      trackingNumber: 'TN1',
      anomalyType: 'delay',
      severity: 'high',
      description: 'late',
      recommendedAction: 'call',
      confidenceScore: 0.9,
      detectedAt: '2026-11-22T00:00:00.000Z',
    });
    expect(await c.next('anomaly_detected')).toMatchObject({ topic: 'anomalies', id: event.id });
    await c.close();
  });
});
