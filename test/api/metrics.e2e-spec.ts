import type { Subscription } from 'rxjs';
import { EventBus, type BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import { describeOnBackends } from '../support/backends.js';
import { postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

const NEW_YORK = { name: 'New York, NY', latitude: 40.7128, longitude: -74.006 };
const WASHINGTON = { name: 'Washington, DC', latitude: 38.9072, longitude: -77.0369 };
const inNewYork = { location: NEW_YORK.name, latitude: NEW_YORK.latitude, longitude: NEW_YORK.longitude };

const PUBLISH_MS = 200;
/** Sweeps often so anomalies follow quickly; nothing gets stuck during the suite. */
const ENV = { METRICS_PUBLISH_MS: String(PUBLISH_MS), ANOMALY_SWEEP_MS: '100', ANOMALY_STUCK_MS: '3600000' };

const METRIC_FIELDS = [
  'totalPackages',
  'inTransit',
  'delivered',
  'delayed',
  'openAnomalies',
  'recoveryRate',
  'avgDeliveryHours',
];

const tn = trackingNumbers('MT');
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

// One DATA_DIR for every app: the last test restarts on the same SQLite file.
await describeOnBackends('dashboard metrics on %s', { env: ENV, sharedDataDir: true }, (ctx) => {
  let events: BusEvent[] = [];
  let sub: Subscription | undefined;

  function listen() {
    events = [];
    const bus = ctx.app().app.get(EventBus);
    sub = bus.events$.subscribe((e) => events.push(e));
  }

  async function start() {
    await ctx.start();
    listen();
  }

  async function stop() {
    sub?.unsubscribe();
    await ctx.app().close();
  }

  beforeAll(listen);
  afterAll(() => sub?.unsubscribe());

  const call = rest(() => ctx.app());

  async function create(estimatedDelivery = fromNow(3 * 86_400_000)) {
    const trackingNumber = tn();
    const res = await postPackage(call, ops(), {
      trackingNumber,
      carrier: 'DHL',
      origin: NEW_YORK,
      destination: WASHINGTON,
      estimatedDelivery,
    });
    expect(res.status).toBe(201);
    return trackingNumber;
  }

  async function scan(trackingNumber: string, status: string, expected = 201, scannedAt?: string) {
    const res = await postScan(call, trackingNumber, ops(), { status, ...inNewYork, scannedAt });
    expect(res.status).toBe(expected);
    return res.body;
  }

  /** Hours from creation to delivery of a package as the API returned it. */
  const deliveryHours = (p: { createdAt: string; deliveredAt: string }) =>
    (Date.parse(p.deliveredAt) - Date.parse(p.createdAt)) / 3_600_000;

  const dashboard = async () => {
    const res = await call('GET', '/metrics/dashboard', viewer());
    expect(res.status).toBe(200);
    return res.body;
  };

  /** The first dashboard_metrics event (past or future) matching `expected`; fails after `timeoutMs`. */
  async function published(expected: Record<string, number>, timeoutMs = 5000): Promise<BusEvent> {
    const matches = (e: BusEvent) =>
      e.type === 'dashboard_metrics' && Object.entries(expected).every(([k, v]) => e.data[k] === v);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = events.find(matches);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    const last = events.filter((e) => e.type === 'dashboard_metrics').at(-1);
    throw new Error(`no dashboard_metrics with ${JSON.stringify(expected)}; last: ${JSON.stringify(last?.data)}`);
  }

  it('answers 401 without a token, and all zeros for any role on an empty database', async () => {
    expect((await call('GET', '/metrics/dashboard')).status).toBe(401);
    expect(await dashboard()).toEqual({
      totalPackages: 0,
      inTransit: 0,
      delivered: 0,
      delayed: 0,
      openAnomalies: 0,
      recoveryRate: 0,
      avgDeliveryHours: 0,
    });
  });

  it('follows packages and anomalies through real scans, published on dashboard_metrics', async () => {
    const a = await create();
    const b = await create();
    const late = await create(fromNow(-3_600_000));
    let e = await published({ totalPackages: 3, delayed: 1, inTransit: 0 });
    expect(Object.keys(e.data).sort()).toEqual([...METRIC_FIELDS].sort());
    expect(e.topic).toBe('dashboard_metrics');

    await scan(a, 'picked_up');
    await scan(b, 'in_transit');
    await published({ inTransit: 2, delivered: 0 });
    // Delivered 4 minutes after creation (scans may be dated up to 5 minutes ahead).
    const deliveredB = await scan(b, 'delivered', 201, fromNow(4 * 60_000));
    await scan(late, 'exception'); // still not delivered: still delayed, and not in transit
    e = await published({ inTransit: 1, delivered: 1, delayed: 1 });
    expect(e.data.avgDeliveryHours).toBe(Math.round(deliveryHours(deliveredB) * 100) / 100);
    expect(e.data.avgDeliveryHours).toBeGreaterThan(0.05);

    // The sweep opens delayed_delivery for `late`; a rejected backwards scan opens status_regression.
    await scan(a, 'created', 409);
    await published({ openAnomalies: 2, recoveryRate: 0 });
    await scan(a, 'in_transit'); // resolves status_regression
    await published({ openAnomalies: 1, recoveryRate: 0.5 });
    const deliveredLate = await scan(late, 'delivered', 201, fromNow(2 * 60_000)); // resolves delayed_delivery
    e = await published({ openAnomalies: 0, recoveryRate: 1, delayed: 0, delivered: 2, inTransit: 1 });
    const mean = (deliveryHours(deliveredB) + deliveryHours(deliveredLate)) / 2;
    expect(e.data.avgDeliveryHours).toBe(Math.round(mean * 100) / 100);

    expect(await dashboard()).toEqual(e.data);
    const listed = await call('GET', '/anomalies', viewer());
    expect(listed.body.total).toBe(2);
  });

  it('counts a package as delayed when its ETA passes, without any event about it', async () => {
    const before = await dashboard();
    const etaMs = Date.now() + 1000;
    await create(new Date(etaMs).toISOString());
    const e = await published({ totalPackages: before.totalPackages + 1, delayed: before.delayed + 1 });
    // It became late with the clock, not with its creation.
    expect(Date.parse(e.timestamp)).toBeGreaterThanOrEqual(etaMs);
  });

  it('publishes at most once per METRICS_PUBLISH_MS, coalescing a burst into its final figures', async () => {
    const before = await dashboard();
    const from = events.length;
    for (let i = 0; i < 8; i++) await create();
    await published({ totalPackages: before.totalPackages + 8 });
    await new Promise((r) => setTimeout(r, PUBLISH_MS * 2));
    const burst = events.slice(from).filter((e) => e.type === 'dashboard_metrics');
    const times = burst.map((e) => Date.parse(e.timestamp));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(PUBLISH_MS - 5);
    // Nothing changed after the burst: no further publication, and the last one holds the final figures.
    expect(burst.at(-1)!.data).toEqual(await dashboard());
    expect(new Set(burst.map((e) => JSON.stringify(e.data))).size).toBe(burst.length);
  });

  it('sends the same figures as a snapshot on /ws/dashboard, then live dashboard_metrics', async () => {
    const t = ctx.app();
    const client = await connected(t.ws, '/ws/dashboard', { token: viewer() });
    try {
      const snapshot = await client.next((f) => f.type === 'snapshot' && f.topic === 'dashboard_metrics');
      const current = await dashboard();
      expect(snapshot.data).toEqual(current);
      await create();
      const live = await client.next(
        (f) => f.type === 'dashboard_metrics' && f.data.totalPackages === current.totalPackages + 1,
      );
      expect(live).toMatchObject({ topic: 'dashboard_metrics', id: expect.any(String) });
      expect(Object.keys(live.data).sort()).toEqual([...METRIC_FIELDS].sort());
    } finally {
      await client.close();
    }
  });

  it('rebuilds the same figures from storage after a restart', async () => {
    const before = await dashboard();
    expect(before.totalPackages).toBeGreaterThan(0);
    expect(before.delivered).toBe(2);
    await stop();
    await start();
    expect(await dashboard()).toEqual(before);
  });
});
