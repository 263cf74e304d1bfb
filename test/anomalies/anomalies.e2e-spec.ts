import type { Subscription } from 'rxjs';
import { AnomalyStore } from '../../apps/gateway/src/anomalies/storage/anomaly-store.js';
import { EventBus, type BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import { describeOnBackends } from '../support/backends.js';
import { postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

const ANOMALY_FIELDS = [
  'anomalyId',
  'packageId',
  'trackingNumber',
  'anomalyType',
  'severity',
  'description',
  'recommendedAction',
  'confidenceScore',
  'detectedAt',
];

const NEW_YORK = { name: 'New York, NY', latitude: 40.7128, longitude: -74.006 };
const PHILADELPHIA = { name: 'Philadelphia, PA', latitude: 39.9526, longitude: -75.1652 };
const BALTIMORE = { name: 'Baltimore, MD', latitude: 39.2904, longitude: -76.6122 };
const WASHINGTON = { name: 'Washington, DC', latitude: 38.9072, longitude: -77.0369 };
const BOSTON = { name: 'Boston, MA', latitude: 42.3601, longitude: -71.0589 };
const LOS_ANGELES = { name: 'Los Angeles, CA', latitude: 34.0522, longitude: -118.2437 };

const at = (place: { name: string; latitude: number; longitude: number }) => ({
  location: place.name,
  latitude: place.latitude,
  longitude: place.longitude,
});
/** A scan time a little ahead of now (the API accepts up to 5 minutes of clock skew). */
const ahead = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

const tn = trackingNumbers('AN');

/** Stuck after 1.5 s of silence and a sweep every 100 ms: the time-driven rules fire within seconds. */
const ENV = { ANOMALY_SWEEP_MS: '100', ANOMALY_STUCK_MS: '1500' };

await describeOnBackends('anomalies on %s', { env: ENV }, (ctx) => {
  const events: BusEvent[] = [];
  let sub: Subscription | undefined;

  beforeAll(() => {
    sub = ctx
      .app()
      .app.get(EventBus)
      .events$.subscribe((e) => events.push(e));
  });
  afterAll(() => {
    sub?.unsubscribe();
  });

  const call = rest(() => ctx.app());

  async function create(extra: Record<string, unknown> = {}) {
    const res = await postPackage(call, ops(), {
      trackingNumber: tn(),
      carrier: 'UPS',
      origin: NEW_YORK,
      destination: WASHINGTON,
      estimatedDelivery: ahead(3 * 86400),
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as { trackingNumber: string; packageId: string };
  }

  const scan = (trackingNumber: string, status: string, extra: Record<string, unknown>) =>
    postScan(call, trackingNumber, ops(), { status, ...extra });

  /** Resolves with the first bus event (past or future) that matches, or fails after `timeoutMs`. */
  function nextEvent(match: (e: BusEvent) => boolean, timeoutMs = 5000): Promise<BusEvent> {
    const seen = events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const s = ctx
        .app()
        .app.get(EventBus)
        .events$.subscribe((e) => {
          if (!match(e)) return;
          clearTimeout(timer);
          s.unsubscribe();
          resolve(e);
        });
      const timer = setTimeout(() => {
        s.unsubscribe();
        reject(new Error(`no matching event within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  const anomalyEvent = (type: 'anomaly_detected' | 'anomaly_resolved', trackingNumber: string, anomalyType: string) =>
    nextEvent(
      (e) =>
        e.topic === 'anomalies' &&
        e.type === type &&
        e.data.trackingNumber === trackingNumber &&
        e.data.anomalyType === anomalyType,
    );

  const anomaliesOf = (trackingNumber: string, anomalyType: string) =>
    events.filter(
      (e) => e.topic === 'anomalies' && e.data.trackingNumber === trackingNumber && e.data.anomalyType === anomalyType,
    );

  describe('GET /anomalies', () => {
    it('answers 401 without a token', async () => {
      const res = await call('GET', '/anomalies');
      expect(res.status).toBe(401);
    });

    it.each([
      ['open=maybe', 'open'],
      ['type=teleport', 'type'],
      ['severity=extreme', 'severity'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['trackingNumber=a%2Fb', 'trackingNumber'],
      ['color=red', 'color'],
    ])('answers 400 naming the field for %s', async (query, field) => {
      const res = await call('GET', `/anomalies?${query}`, viewer());
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    });

    it('is described in the OpenAPI document with its filters, as is GET /metrics/dashboard', async () => {
      const t = ctx.app();
      type Doc = {
        paths: Record<string, { get: { parameters: { name: string }[]; responses: Record<string, unknown> } }>;
      };
      const doc = (await (await fetch(`${t.http}/docs-json`)).json()) as Doc;
      const params = doc.paths['/anomalies'].get.parameters.map((p: { name: string }) => p.name);
      expect(params).toEqual(expect.arrayContaining(['open', 'type', 'severity', 'limit', 'offset']));
      expect(doc.paths['/metrics/dashboard'].get.responses['200']).toBeDefined();
    });

    it('lists for any role, paged', async () => {
      const res = await call('GET', '/anomalies?limit=5&offset=0', viewer());
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ limit: 5, offset: 0, total: expect.any(Number), items: expect.any(Array) });
    });
  });

  it('status_regression: a rejected backwards scan opens one anomaly, the next accepted scan resolves it', async () => {
    const pkg = await create();
    expect((await scan(pkg.trackingNumber, 'in_transit', at(NEW_YORK))).status).toBe(201);
    expect((await scan(pkg.trackingNumber, 'picked_up', at(NEW_YORK))).status).toBe(409);

    const detected = await anomalyEvent('anomaly_detected', pkg.trackingNumber, 'status_regression');
    expect(Object.keys(detected.data)).toEqual(expect.arrayContaining(ANOMALY_FIELDS));
    expect(detected.data).toMatchObject({
      packageId: pkg.packageId,
      severity: 'medium',
      description: expect.stringContaining('in_transit back to picked_up'),
      recommendedAction: expect.stringContaining('picked_up'),
    });
    expect(detected.data.confidenceScore).toBeGreaterThan(0);
    expect(detected.data.confidenceScore).toBeLessThanOrEqual(1);
    expect(detected.data.resolvedAt).toBeUndefined();

    // A second attempt while it is open does not open another.
    expect((await scan(pkg.trackingNumber, 'created', at(NEW_YORK))).status).toBe(409);
    const open = await call(
      'GET',
      `/anomalies?open=true&type=status_regression&trackingNumber=${pkg.trackingNumber}`,
      viewer(),
    );
    expect(open.status).toBe(200);
    expect(open.body.total).toBe(1);
    expect(open.body.items).toEqual([detected.data]);

    expect((await scan(pkg.trackingNumber, 'at_facility', at(NEW_YORK))).status).toBe(201);
    const resolved = await anomalyEvent('anomaly_resolved', pkg.trackingNumber, 'status_regression');
    expect(resolved.data).toEqual({ ...detected.data, resolvedAt: expect.any(String) });
    expect(Date.parse(String(resolved.data.resolvedAt))).toBeGreaterThanOrEqual(
      Date.parse(String(detected.data.detectedAt)),
    );
    expect(anomaliesOf(pkg.trackingNumber, 'status_regression').map((e) => e.type)).toEqual([
      'anomaly_detected',
      'anomaly_resolved',
    ]);

    const closed = await call('GET', `/anomalies?open=false&trackingNumber=${pkg.trackingNumber}`, viewer());
    expect(closed.body.items).toEqual(expect.arrayContaining([resolved.data]));
    const stillOpen = await call('GET', `/anomalies?open=true&trackingNumber=${pkg.trackingNumber}`, viewer());
    expect(stillOpen.body.items.map((a: { anomalyType: string }) => a.anomalyType)).not.toContain('status_regression');
  });

  it('impossible_travel: two scans 3,900 km apart a minute apart are critical and notify everyone; a plausible scan resolves it', async () => {
    const pkg = await create();
    expect((await scan(pkg.trackingNumber, 'picked_up', { ...at(NEW_YORK), scannedAt: ahead(1) })).status).toBe(201);
    expect((await scan(pkg.trackingNumber, 'in_transit', { ...at(LOS_ANGELES), scannedAt: ahead(61) })).status).toBe(
      201,
    );

    const detected = await anomalyEvent('anomaly_detected', pkg.trackingNumber, 'impossible_travel');
    expect(detected.data).toMatchObject({ severity: 'critical', description: expect.stringContaining('km/h') });
    const notification = await nextEvent(
      (e) => e.topic === 'notifications' && String(e.data.title).includes(`impossible travel on ${pkg.trackingNumber}`),
    );
    expect(notification.data).toMatchObject({ level: 'critical', message: expect.stringContaining('Los Angeles') });
    expect(notification.data.userId).toBeUndefined();

    // Scanned again in Los Angeles a minute later: no travel, so the condition cleared.
    expect((await scan(pkg.trackingNumber, 'at_facility', { ...at(LOS_ANGELES), scannedAt: ahead(121) })).status).toBe(
      201,
    );
    const resolved = await anomalyEvent('anomaly_resolved', pkg.trackingNumber, 'impossible_travel');
    expect(resolved.data.anomalyId).toBe(detected.data.anomalyId);
  });

  it('route_deviation: moving away from the destination on three scans in a row, resolved back on course', async () => {
    const pkg = await create({ origin: BALTIMORE });
    for (const [i, place] of [BALTIMORE, PHILADELPHIA, NEW_YORK, BOSTON].entries()) {
      expect((await scan(pkg.trackingNumber, 'in_transit', { ...at(place), scannedAt: ahead(i + 1) })).status).toBe(
        201,
      );
    }
    const detected = await anomalyEvent('anomaly_detected', pkg.trackingNumber, 'route_deviation');
    expect(detected.data.description).toContain(WASHINGTON.name);
    expect(detected.data.recommendedAction).toContain('UPS');

    expect((await scan(pkg.trackingNumber, 'in_transit', { ...at(NEW_YORK), scannedAt: ahead(5) })).status).toBe(201);
    await anomalyEvent('anomaly_resolved', pkg.trackingNumber, 'route_deviation');
    expect(anomaliesOf(pkg.trackingNumber, 'route_deviation')).toHaveLength(2);
  });

  it('delayed_delivery: the sweep finds a package past its ETA; delivery resolves it', async () => {
    const pkg = await create({ estimatedDelivery: new Date(Date.now() - 3 * 3_600_000).toISOString() });
    const detected = await anomalyEvent('anomaly_detected', pkg.trackingNumber, 'delayed_delivery');
    expect(detected.data).toMatchObject({ severity: 'medium', description: expect.stringMatching(/3\.0 h past/) });

    expect((await scan(pkg.trackingNumber, 'delivered', at(NEW_YORK))).status).toBe(201);
    const resolved = await anomalyEvent('anomaly_resolved', pkg.trackingNumber, 'delayed_delivery');
    expect(resolved.data.resolvedAt).toEqual(expect.any(String));
    const listed = await call('GET', `/anomalies?type=delayed_delivery&trackingNumber=${pkg.trackingNumber}`, viewer());
    expect(listed.body.items).toEqual([resolved.data]);
  });

  it('stuck_package: the sweep finds a package silent past the threshold; a scan resolves it', async () => {
    const pkg = await create();
    const detected = await anomalyEvent('anomaly_detected', pkg.trackingNumber, 'stuck_package');
    expect(detected.data.description).toContain('no scan');
    expect((await scan(pkg.trackingNumber, 'picked_up', at(NEW_YORK))).status).toBe(201);
    await anomalyEvent('anomaly_resolved', pkg.trackingNumber, 'stuck_package');

    const ids = (res: { body: { items: { anomalyId: string; severity: string }[] } }) =>
      res.body.items.map((a) => a.anomalyId);
    const medium = await call('GET', `/anomalies?severity=medium&trackingNumber=${pkg.trackingNumber}`, viewer());
    expect(medium.body.items.every((a: { severity: string }) => a.severity === 'medium')).toBe(true);
    expect(ids(medium)).toContain(detected.data.anomalyId);
    const critical = await call('GET', `/anomalies?severity=critical&trackingNumber=${pkg.trackingNumber}`, viewer());
    expect(ids(critical)).not.toContain(detected.data.anomalyId);
    const stuck = await call('GET', `/anomalies?type=stuck_package&trackingNumber=${pkg.trackingNumber}`, viewer());
    expect(ids(stuck)).toEqual([detected.data.anomalyId]);
  });

  it('the database itself refuses a second open anomaly of one type for a package', async () => {
    const t = ctx.app();
    const store = t.app.get(AnomalyStore);
    const target = { packageId: 'no-such-package', trackingNumber: 'NOSUCH1', type: 'stuck_package' as const };
    const finding = { severity: 'low' as const, confidenceScore: 0.5, description: 'd', recommendedAction: 'a' };
    const [first, second] = await Promise.all([store.open(target, finding, 1), store.open(target, finding, 2)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const opened = (first ?? second)!;
    expect(await store.resolve(opened, 3)).toBeDefined();
    expect(await store.resolve(opened, 4)).toBeUndefined();
    expect(await store.open(target, finding, 5)).toBeDefined();
  });

  it('pages GET /anomalies newest first without overlap', async () => {
    const all = await call('GET', '/anomalies?limit=200', viewer());
    expect(all.body.total).toBeGreaterThanOrEqual(4);
    const times = all.body.items.map((a: { detectedAt: string }) => Date.parse(a.detectedAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const first = await call('GET', '/anomalies?limit=2', viewer());
    const second = await call('GET', '/anomalies?limit=2&offset=2', viewer());
    expect(first.body).toMatchObject({ limit: 2, offset: 0, total: all.body.total });
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items).toHaveLength(2);
    const ids = [...first.body.items, ...second.body.items].map((a: { anomalyId: string }) => a.anomalyId);
    expect(new Set(ids).size).toBe(4);
    expect(ids).toEqual(all.body.items.slice(0, 4).map((a: { anomalyId: string }) => a.anomalyId));
  });

  it('reaches a WebSocket client subscribed to anomalies: detected, then resolved', async () => {
    const t = ctx.app();
    const client = await connected(t.ws, '/ws/connect', { token: viewer() });
    try {
      const reply = await client.request('subscribe', { topics: ['anomalies'] });
      expect(reply.type).toBe('subscribed');
      const pkg = await create();
      expect((await scan(pkg.trackingNumber, 'delivered', at(NEW_YORK))).status).toBe(201);
      expect((await scan(pkg.trackingNumber, 'in_transit', at(NEW_YORK))).status).toBe(409);
      const frame = await client.next(
        (f) =>
          f.type === 'anomaly_detected' &&
          f.data.trackingNumber === pkg.trackingNumber &&
          f.data.anomalyType === 'status_regression',
      );
      expect(frame).toMatchObject({ topic: 'anomalies', id: expect.any(String) });
      expect(frame.data).toMatchObject({ anomalyType: 'status_regression', severity: 'high' });
      expect(Object.keys(frame.data)).toEqual(expect.arrayContaining(ANOMALY_FIELDS));

      // `returned` is a valid move out of delivered: the accepted scan resolves it.
      expect((await scan(pkg.trackingNumber, 'returned', at(NEW_YORK))).status).toBe(201);
      const resolved = await client.next(
        (f) => f.type === 'anomaly_resolved' && f.data.anomalyId === frame.data.anomalyId,
      );
      expect(resolved).toMatchObject({ topic: 'anomalies', id: expect.any(String) });
      expect(resolved.data).toEqual({ ...frame.data, resolvedAt: expect.any(String) });
    } finally {
      await client.close();
    }
  });
});
