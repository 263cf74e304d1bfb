import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { EVENT_LOOP_SAMPLE_MS } from '../../apps/gateway/src/runtime/event-loop-sampling.js';
import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, rest } from '../support/http.js';
import { waitFor } from '../support/wait.js';
import { admin, token, viewer } from '../support/tokens.js';
import { connect, connected, mapUpdate, packageUpdate } from '../support/ws.js';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ? m[2].split(',') : [];
    if (wanted.length === have.length && wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ METRICS_TOKEN: SCRAPE_TOKEN });
  });
  afterAll(async () => {
    await t.close();
  });

  const scrape = async (): Promise<string> => {
    const res = await fetch(`${t.http}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it('needs METRICS_TOKEN or an admin JWT: 401 without, 401 for a wrong token, 403 for a viewer', async () => {
    expect((await fetch(`${t.http}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${t.http}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const asViewer = await fetch(`${t.http}/metrics`, { headers: { authorization: `Bearer ${viewer()}` } });
    expect(asViewer.status).toBe(403);
    const asAdmin = await fetch(`${t.http}/metrics`, { headers: { authorization: `Bearer ${admin()}` } });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await scrape();
    expect(body).toContain('# TYPE tracklight_ws_publish_to_send_seconds histogram');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it("SQLite's WAL: the checkpoint worker is up and reports the pages it copied", async () => {
    // A package write fills the WAL; the worker's next checkpoint (every second) copies it.
    expect(
      (
        await postPackage(
          rest(() => t),
          admin(),
          packageBody('WALMETRIC01'),
        )
      ).status,
    ).toBe(201);
    const copied = (text: string) => sample(text, 'tracklight_sqlite_wal_frames', { state: 'checkpointed' }) ?? 0;
    await waitFor(async () => copied(await scrape()) > 0, 5000, 'a checkpoint reported in /metrics');
    const text = await scrape();
    expect(sample(text, 'tracklight_sqlite_checkpoint_worker_up')).toBe(1);
    expect(copied(text)).toBeGreaterThan(0);
    expect(copied(text)).toBeLessThanOrEqual(sample(text, 'tracklight_sqlite_wal_frames', { state: 'total' })!);
  });

  it('leaves GET /metrics/dashboard to the metrics module', async () => {
    const res = await fetch(`${t.http}/metrics/dashboard`, { headers: { authorization: `Bearer ${viewer()}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('totalPackages');
  });

  it('connections by endpoint and subscriptions by topic, package:* aggregated', async () => {
    const map = await connected(t.ws, '/ws/map', { token: viewer('m1') });
    const pk = await connected(t.ws, '/ws/packages', { token: viewer('p1') });
    expect((await pk.request('subscribe', { topics: ['package:TNA', 'package:TNB'] })).type).toBe('subscribed');
    const text = await scrape();
    expect(sample(text, 'tracklight_ws_connections', { endpoint: '/ws/map' })).toBe(1);
    expect(sample(text, 'tracklight_ws_connections', { endpoint: '/ws/packages' })).toBe(1);
    expect(sample(text, 'tracklight_ws_subscriptions', { topic: 'map_updates' })).toBe(1);
    expect(sample(text, 'tracklight_ws_subscriptions', { topic: 'package_updates' })).toBe(2);
    expect(sample(text, 'tracklight_ws_subscriptions', { topic: 'package:*' })).toBe(2);
    expect(text).not.toContain('package:TNA');
    await Promise.all([map.close(), pk.close()]);
    const after = await scrape();
    expect(sample(after, 'tracklight_ws_connections', { endpoint: '/ws/map' })).toBeUndefined();
    expect(sample(after, 'tracklight_ws_closes_total', { code: '1000' })).toBeGreaterThanOrEqual(2);
  });

  it('events by topic and type, deliveries, frames, publish-to-send and bus lag, once per event', async () => {
    const before = await scrape();
    const a = await connected(t.ws, '/ws/map', { token: viewer('e1') });
    const b = await connected(t.ws, '/ws/map', { token: viewer('e2') });
    const bus = t.app.get(EventBus);
    for (let i = 0; i < 5; i++) await bus.publish('map_updates', 'map_update', mapUpdate({ packageId: `p${i}` }));
    await bus.publish('package_updates', 'package_update', packageUpdate());
    await bus.publish('anomalies', 'anomaly_detected', {
      anomalyId: 'x',
      packageId: 'p',
      trackingNumber: 't',
      anomalyType: 'delay',
      severity: 'low',
      description: 'd',
      recommendedAction: 'r',
      confidenceScore: 0.5,
      detectedAt: new Date().toISOString(),
    });
    for (const c of [a, b]) {
      for (let i = 0; i < 5; i++) await c.next('map_update');
      await c.next('package_update');
    }
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('tracklight_events_total', { topic: 'map_updates', type: 'map_update' })).toBe(5);
    expect(delta('tracklight_events_total', { topic: 'package_updates', type: 'package_update' })).toBe(1);
    // No subscriber: counted as an event, never as a delivery or a latency sample.
    expect(delta('tracklight_events_total', { topic: 'anomalies', type: 'anomaly_detected' })).toBe(1);
    expect(delta('tracklight_ws_event_deliveries_total')).toBe(12);
    expect(delta('tracklight_ws_publish_to_send_seconds_count')).toBe(6);
    expect(delta('tracklight_bus_lag_seconds_count')).toBe(7);
    expect(delta('tracklight_ws_frames_sent_total')).toBeGreaterThanOrEqual(12 + 2);
    await Promise.all([a.close(), b.close()]);
  });

  it('tracklight_event_loop_lag_*_seconds show a stall of the event loop since the previous scrape, 0 when idle', async () => {
    await scrape();
    // Node restarts the sampler with each window (reset), so a stall is seen from the first sample
    // of a window on (EVENT_LOOP_SAMPLE_MS): block after it. The app runs in this process.
    await new Promise((resolve) => setTimeout(resolve, EVENT_LOOP_SAMPLE_MS + 15));
    const until = Date.now() + 250;
    while (Date.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const stalled = await scrape();
    expect(sample(stalled, 'tracklight_event_loop_lag_max_seconds')).toBeGreaterThanOrEqual(0.2);
    expect(sample(stalled, 'tracklight_event_loop_lag_max_seconds')).toBeLessThan(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Each scrape starts a new window: the stall is not reported twice.
    const after = await scrape();
    expect(sample(after, 'tracklight_event_loop_lag_max_seconds')).toBeLessThan(0.2);
    // An idle loop: the sampling period itself is not lag.
    expect(sample(after, 'tracklight_event_loop_lag_p50_seconds')).toBeLessThan(0.02);
    expect(sample(after, 'tracklight_event_loop_lag_p99_seconds')).toBeLessThan(0.2);
  });

  it('auth failures by reason, closes by code, refused upgrades by status', async () => {
    const before = await scrape();
    const bad = connect(t.ws, '/ws/connect', { token: token({ secret: 'not-the-secret-not-the-secret-000000' }) });
    expect((await bad.closed).code).toBe(4401);
    const expired = connect(t.ws, '/ws/connect', { token: token({ expiresIn: -10 }) });
    expect((await expired.closed).code).toBe(4408);
    const missing = connect(t.ws, '/ws/connect');
    expect((await missing.closed).code).toBe(4401);
    const nowhere = connect(t.ws, '/ws/nowhere', { token: viewer() });
    await expect(nowhere.opened).rejects.toThrow('HTTP 404');
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>): number =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('tracklight_auth_failures_total', { reason: 'signature', transport: 'ws_upgrade' })).toBe(1);
    expect(delta('tracklight_auth_failures_total', { reason: 'expired', transport: 'ws_upgrade' })).toBe(1);
    expect(delta('tracklight_auth_failures_total', { reason: 'missing', transport: 'ws_upgrade' })).toBe(1);
    expect(delta('tracklight_ws_closes_total', { code: '4401' })).toBe(2);
    expect(delta('tracklight_ws_closes_total', { code: '4408' })).toBe(1);
    expect(delta('tracklight_ws_upgrades_refused_total', { status: '404' })).toBe(1);
  });

  it('HTTP answers by status', async () => {
    const before = await scrape();
    expect((await fetch(`${t.http}/packages`)).status).toBe(401);
    expect((await fetch(`${t.http}/ws/status`, { headers: { authorization: `Bearer ${viewer()}` } })).status).toBe(403);
    expect((await fetch(`${t.http}/packages`, { headers: { authorization: `Bearer ${viewer()}` } })).status).toBe(200);
    const after = await scrape();
    const delta = (status: string): number =>
      (sample(after, 'tracklight_http_responses_total', { status }) ?? 0) -
      (sample(before, 'tracklight_http_responses_total', { status }) ?? 0);
    expect(delta('401')).toBe(1);
    expect(delta('403')).toBe(1);
    // The first scrape's own 200 is counted once it was sent, hence at least.
    expect(delta('200')).toBeGreaterThanOrEqual(1);
  });

  it('refused auth messages and rate-limited client frames', async () => {
    const before = await scrape();
    const c = await connected(t.ws, '/ws/connect', { token: viewer('limited') });
    const refused = await c.request('auth', { token: token({ sub: 'limited', expiresIn: -5 }) });
    expect(refused.data.code).toBe('UNAUTHORIZED');
    // Past the burst (100 by default) in one go: the excess is dropped with RATE_LIMITED.
    for (let i = 0; i < 110; i++) c.send({ type: 'ping' });
    await c.next((f) => f.type === 'error' && f.data.code === 'RATE_LIMITED');
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('tracklight_auth_failures_total', { reason: 'expired', transport: 'ws_auth' })).toBe(1);
    expect(delta('tracklight_ws_client_frames_rate_limited_total')).toBeGreaterThanOrEqual(1);
    expect(delta('tracklight_ws_frames_received_total')).toBeGreaterThanOrEqual(111);
    await c.close();
  });
});
