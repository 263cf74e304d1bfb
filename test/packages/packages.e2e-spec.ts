import type { Subscription } from 'rxjs';
import { EventBus, type BusEvent } from '../../apps/gateway/src/bus/event-bus.js';
import type { DurableEventBus } from '../../apps/gateway/src/bus/durable/durable-event-bus.js';
import {
  PackageDomainEvents,
  type ScanAcceptedEvent,
  type ScanRejectedEvent,
} from '../../apps/gateway/src/packages/package-domain-events.js';
import { PackageQuery } from '../../apps/gateway/src/packages/package-query.js';
import { SnapshotRegistry } from '../../apps/gateway/src/snapshots/snapshot-registry.js';
import { describeOnBackends } from '../support/backends.js';
import { postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

const PACKAGE_UPDATE_FIELDS = [
  'packageId',
  'trackingNumber',
  'status',
  'location',
  'latitude',
  'longitude',
  'carrier',
  'estimatedDelivery',
  'lastScanTime',
  'version',
];
const MAP_UPDATE_FIELDS = ['packageId', 'trackingNumber', 'latitude', 'longitude', 'status'];

const MEMPHIS = { name: 'Memphis, TN', latitude: 35.1495, longitude: -90.049 };
const NEW_YORK = { name: 'New York, NY', latitude: 40.7128, longitude: -74.006 };
const LOUISVILLE = { location: 'Louisville, KY', latitude: 38.2527, longitude: -85.7585 };

/** A time a little ahead of now: after the package's creation, within the accepted clock skew. */
const ahead = (seconds: number) => new Date(Math.floor(Date.now() / 1000) * 1000 + seconds * 1000).toISOString();

const tn = trackingNumbers('TL');

await describeOnBackends('packages on %s', {}, (ctx) => {
  let events: BusEvent[] = [];
  let accepted: ScanAcceptedEvent[] = [];
  let rejected: ScanRejectedEvent[] = [];
  const subs: Subscription[] = [];

  beforeAll(() => {
    const t = ctx.app();
    subs.push(t.app.get(EventBus).events$.subscribe((e) => events.push(e)));
    const domain = t.app.get(PackageDomainEvents);
    subs.push(domain.scanAccepted$.subscribe((e) => accepted.push(e)));
    subs.push(domain.scanRejected$.subscribe((e) => rejected.push(e)));
  });
  afterAll(() => {
    subs.forEach((s) => s.unsubscribe());
  });
  beforeEach(() => {
    events = [];
    accepted = [];
    rejected = [];
  });

  /** What this module publishes; the anomalies and metrics modules react with events of their own. */
  const packageEvents = () =>
    events.filter((e) => e.topic === 'package_updates' || e.topic === 'map_updates' || e.topic.startsWith('package:'));

  const call = rest(() => ctx.app());

  const packageBody = (trackingNumber: string, extra: Record<string, unknown> = {}) => ({
    trackingNumber,
    carrier: 'FedEx',
    origin: MEMPHIS,
    destination: NEW_YORK,
    estimatedDelivery: '2030-01-02T15:00:00.000Z',
    ...extra,
  });

  async function create(trackingNumber = tn(), extra: Record<string, unknown> = {}) {
    const res = await postPackage(call, ops(), packageBody(trackingNumber, extra));
    expect(res.status).toBe(201);
    return res.body;
  }

  const scan = (trackingNumber: string, status: string, extra: Record<string, unknown> = {}, token = ops()) =>
    postScan(call, trackingNumber, token, { status, ...LOUISVILLE, ...extra });

  const fieldNames = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field).sort();

  describe('POST /packages', () => {
    it('creates a package (201) and publishes package_update with status created on both topics', async () => {
      const trackingNumber = tn();
      const res = await call('POST', '/packages', ops(), packageBody(trackingNumber));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        trackingNumber,
        status: 'created',
        carrier: 'FedEx',
        location: MEMPHIS.name,
        latitude: MEMPHIS.latitude,
        longitude: MEMPHIS.longitude,
        origin: MEMPHIS,
        destination: NEW_YORK,
        estimatedDelivery: '2030-01-02T15:00:00.000Z',
      });
      expect(res.body.packageId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.scans).toEqual([expect.objectContaining({ status: 'created', location: MEMPHIS.name })]);

      const published = packageEvents().filter((e) => e.data.trackingNumber === trackingNumber);
      expect(published.map((e) => [e.topic, e.type])).toEqual([
        ['package_updates', 'package_update'],
        [`package:${trackingNumber}`, 'package_update'],
      ]);
      for (const e of published) {
        expect(Object.keys(e.data)).toEqual(expect.arrayContaining(PACKAGE_UPDATE_FIELDS));
        expect(e.data).toMatchObject({ status: 'created', packageId: res.body.packageId });
      }
    });

    it('accepts admin too', async () => {
      expect((await call('POST', '/packages', admin(), packageBody(tn()))).status).toBe(201);
    });

    it('answers 409 when the tracking number exists, publishing nothing', async () => {
      const trackingNumber = tn();
      await create(trackingNumber);
      events = [];
      const res = await call('POST', '/packages', ops(), packageBody(trackingNumber, { carrier: 'UPS' }));
      expect(res.status).toBe(409);
      expect(res.body.message).toContain(trackingNumber);
      expect(packageEvents()).toEqual([]);
      expect((await call('GET', `/packages/${trackingNumber}`, viewer())).body.carrier).toBe('FedEx');
    });

    it('answers 401 without a token and 403 for a viewer', async () => {
      expect((await call('POST', '/packages', undefined, packageBody(tn()))).status).toBe(401);
      expect((await call('POST', '/packages', viewer(), packageBody(tn()))).status).toBe(403);
      expect(packageEvents()).toEqual([]);
    });

    it.each([
      ['a missing carrier', { carrier: undefined }, ['carrier']],
      ['a latitude out of range', { origin: { ...MEMPHIS, latitude: 91 } }, ['origin.latitude']],
      ['a longitude that is a string', { destination: { ...NEW_YORK, longitude: '12' } }, ['destination.longitude']],
      ['a missing origin', { origin: undefined }, ['origin']],
      ['an origin without a name', { origin: { latitude: 1, longitude: 2 } }, ['origin.name']],
      ['a date that is not ISO-8601', { estimatedDelivery: 'tomorrow' }, ['estimatedDelivery']],
      ['an unknown field', { weight: 3 }, ['weight']],
      ['a tracking number with a slash', { trackingNumber: 'AB/12' }, ['trackingNumber']],
      ['a tracking number starting with a dash', { trackingNumber: '-AB12' }, ['trackingNumber']],
      ['a tracking number of 101 characters', { trackingNumber: 'A'.repeat(101) }, ['trackingNumber']],
    ])('answers 400 naming the field for %s', async (_name, extra, fields) => {
      const res = await call('POST', '/packages', ops(), packageBody(tn(), extra));
      expect(res.status).toBe(400);
      expect(fieldNames(res.body)).toEqual(fields);
      expect(packageEvents()).toEqual([]);
    });
  });

  describe('POST /packages/:trackingNumber/scans', () => {
    it('applies a scan (201), publishes package_update on both topics and map_update, and emits scanAccepted$', async () => {
      const pkg = await create();
      events = [];
      const at = ahead(60);
      const res = await scan(pkg.trackingNumber, 'picked_up', { scannedAt: at });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'picked_up',
        location: LOUISVILLE.location,
        latitude: LOUISVILLE.latitude,
        longitude: LOUISVILLE.longitude,
        lastScanTime: at,
      });
      expect(res.body.scans[0]).toEqual({ status: 'picked_up', ...LOUISVILLE, scannedAt: at });

      expect(packageEvents().map((e) => [e.topic, e.type])).toEqual([
        ['package_updates', 'package_update'],
        [`package:${pkg.trackingNumber}`, 'package_update'],
        ['map_updates', 'map_update'],
      ]);
      expect(Object.keys(packageEvents()[0].data)).toEqual(expect.arrayContaining(PACKAGE_UPDATE_FIELDS));
      expect(Object.keys(packageEvents()[2].data)).toEqual(expect.arrayContaining(MAP_UPDATE_FIELDS));
      expect(packageEvents()[2].data).toMatchObject({
        packageId: pkg.packageId,
        trackingNumber: pkg.trackingNumber,
        latitude: LOUISVILLE.latitude,
        longitude: LOUISVILLE.longitude,
        status: 'picked_up',
      });

      expect(accepted).toHaveLength(1);
      expect(accepted[0]).toMatchObject({
        previousStatus: 'created',
        package: { trackingNumber: pkg.trackingNumber, status: 'picked_up' },
        scan: { status: 'picked_up', scannedAt: at },
        previousScan: { status: 'created', location: MEMPHIS.name },
      });
    });

    it('lets a package skip forward states', async () => {
      const pkg = await create();
      expect((await scan(pkg.trackingNumber, 'out_for_delivery')).status).toBe(201);
    });

    it('accepts repeated scans at the same status as position updates', async () => {
      const pkg = await create();
      expect((await scan(pkg.trackingNumber, 'in_transit')).status).toBe(201);
      const again = await scan(pkg.trackingNumber, 'in_transit', {
        location: 'Nashville, TN',
        latitude: 36.16,
        longitude: -86.78,
      });
      expect(again.status).toBe(201);
      expect(again.body.location).toBe('Nashville, TN');
    });

    it('refuses a backward move with 409 and the allowed states, publishes nothing, emits scanRejected$', async () => {
      const pkg = await create();
      await scan(pkg.trackingNumber, 'at_facility');
      events = [];
      const res = await scan(pkg.trackingNumber, 'picked_up');
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'INVALID_TRANSITION',
        currentStatus: 'at_facility',
        attempted: 'picked_up',
        allowed: ['in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception'],
      });
      expect(packageEvents()).toEqual([]);
      expect(rejected).toEqual([
        expect.objectContaining({
          attempted: 'picked_up',
          allowed: res.body.allowed,
          package: expect.objectContaining({ trackingNumber: pkg.trackingNumber, status: 'at_facility' }),
        }),
      ]);
      expect((await call('GET', `/packages/${pkg.trackingNumber}`, viewer())).body.status).toBe('at_facility');
    });

    it('keeps delivered final except for returned, and returned final', async () => {
      const pkg = await create();
      const at = ahead(30);
      const delivered = await scan(pkg.trackingNumber, 'delivered', { scannedAt: at });
      expect(delivered.body.deliveredAt).toBe(at);
      const back = await scan(pkg.trackingNumber, 'in_transit');
      expect(back.status).toBe(409);
      expect(back.body.allowed).toEqual(['returned']);
      expect((await scan(pkg.trackingNumber, 'exception')).status).toBe(409);
      expect((await scan(pkg.trackingNumber, 'returned')).status).toBe(201);
      const after = await scan(pkg.trackingNumber, 'returned');
      expect(after.status).toBe(409);
      expect(after.body.allowed).toEqual([]);
    });

    it('resumes from exception only at a state later than the one before it', async () => {
      const pkg = await create();
      await scan(pkg.trackingNumber, 'in_transit');
      expect((await scan(pkg.trackingNumber, 'exception')).status).toBe(201);
      const early = await scan(pkg.trackingNumber, 'picked_up');
      expect(early.status).toBe(409);
      expect(early.body.allowed).toEqual([
        'in_transit',
        'at_facility',
        'out_for_delivery',
        'delivered',
        'exception',
        'returned',
      ]);
      expect((await scan(pkg.trackingNumber, 'exception')).status).toBe(201);
      expect((await scan(pkg.trackingNumber, 'picked_up')).status).toBe(409);
      expect((await scan(pkg.trackingNumber, 'at_facility')).status).toBe(201);
    });

    it('allows returned after an exception', async () => {
      const pkg = await create();
      await scan(pkg.trackingNumber, 'exception');
      expect((await scan(pkg.trackingNumber, 'returned')).status).toBe(201);
    });

    it('answers 404 for an unknown package and 400 for a malformed tracking number', async () => {
      const missing = await scan('NOPE0000000', 'picked_up');
      expect(missing.status).toBe(404);
      expect(missing.body.message).toContain('NOPE0000000');
      const malformed = await scan('_bad', 'picked_up');
      expect(malformed.status).toBe(400);
      expect(fieldNames(malformed.body)).toEqual(['trackingNumber']);
    });

    it.each([
      ['an unknown status', { status: 'lost' }, ['status']],
      ['a latitude of 91', { latitude: 91 }, ['latitude']],
      ['a missing longitude', { longitude: undefined }, ['longitude']],
      ['an empty location', { location: '' }, ['location']],
      ['a scannedAt that is not a date', { scannedAt: 'yesterday' }, ['scannedAt']],
      ['a scannedAt an hour ahead', { scannedAt: new Date(Date.now() + 3_600_000).toISOString() }, ['scannedAt']],
      ['a scannedAt before the package was created', { scannedAt: '2020-01-01T00:00:00.000Z' }, ['scannedAt']],
      ['an unknown field', { facility: 'X' }, ['facility']],
    ])('answers 400 naming the field for %s', async (_name, extra, fields) => {
      const pkg = await create();
      events = [];
      const res = await scan(pkg.trackingNumber, (extra as { status?: string }).status ?? 'picked_up', extra);
      expect(res.status).toBe(400);
      expect(fieldNames(res.body)).toEqual(fields);
      expect(packageEvents()).toEqual([]);
    });

    it('answers 401 without a token and 403 for a viewer', async () => {
      const pkg = await create();
      expect((await scan(pkg.trackingNumber, 'picked_up', {}, '')).status).toBe(401);
      expect((await scan(pkg.trackingNumber, 'picked_up', {}, viewer())).status).toBe(403);
      expect((await call('GET', `/packages/${pkg.trackingNumber}`, viewer())).body.status).toBe('created');
    });

    it('applies concurrent scans of one package one after another, losing none', async () => {
      const t = ctx.app();
      const pkg = await create();
      events = [];
      const statuses = ['in_transit', 'at_facility', 'in_transit', 'at_facility', 'in_transit', 'at_facility'];
      const results = await Promise.all(statuses.map((s) => scan(pkg.trackingNumber, s)));
      expect(results.map((r) => r.status)).toEqual(statuses.map(() => 201));
      const scans = await t.app.get(PackageQuery).recentScans(pkg.packageId, 50);
      expect(scans).toHaveLength(statuses.length + 1);
      const updates = events.filter((e) => e.topic === `package:${pkg.trackingNumber}`);
      expect(updates).toHaveLength(statuses.length);
      const current = (await call('GET', `/packages/${pkg.trackingNumber}`, viewer())).body;
      // Events are published in commit order, so the last one is the state that stuck.
      expect(updates[updates.length - 1].data.status).toBe(current.status);
    });

    it('applies concurrent scans of different packages', async () => {
      const pkgs = await Promise.all([1, 2, 3, 4, 5].map(() => create()));
      const results = await Promise.all(pkgs.map((p) => scan(p.trackingNumber, 'picked_up')));
      expect(results.map((r) => r.status)).toEqual(pkgs.map(() => 201));
    });
  });

  describe('when the bus refuses events after the commit', () => {
    it('answers 201 all the same; the events wait in the event log and go out in order once the bus is back', async () => {
      const t = ctx.app();
      const inner = t.app.get<EventBus, DurableEventBus>(EventBus).inner;
      // health() stays 'ok': the bus fails between the commit and the relay.
      inner.publishLogged = () => Promise.reject(new Error('bus down'));
      const trackingNumber = tn();
      let statuses: number[];
      try {
        const created = await postPackage(call, ops(), packageBody(trackingNumber));
        const scanned = await scan(trackingNumber, 'picked_up');
        const moved = await scan(trackingNumber, 'in_transit');
        statuses = [created.status, scanned.status, moved.status];
        expect(packageEvents().filter((e) => e.topic === `package:${trackingNumber}`)).toEqual([]);
      } finally {
        delete (inner as { publishLogged?: unknown }).publishLogged;
      }
      expect(statuses).toEqual([201, 201, 201]);
      // In-process reactions (anomalies) saw the scans at once.
      expect(accepted.map((e) => e.package.trackingNumber)).toContain(trackingNumber);
      const mine = () => packageEvents().filter((e) => e.topic === `package:${trackingNumber}`);
      await waitFor(() => mine().length === 3, 5_000, 'the held events after the bus returned');
      expect(mine().map((e) => [e.data.status, e.data.version])).toEqual([
        ['created', 1],
        ['picked_up', 2],
        ['in_transit', 3],
      ]);
      const stored = await call('GET', `/packages/${trackingNumber}`, viewer());
      expect(stored.body).toMatchObject({ status: 'in_transit', version: 3 });
    });
  });

  describe('GET /packages/:trackingNumber', () => {
    it('returns the current state with the last scans, most recent first, to any role', async () => {
      const pkg = await create();
      const last = ahead(120);
      await scan(pkg.trackingNumber, 'picked_up', { scannedAt: ahead(60) });
      await scan(pkg.trackingNumber, 'in_transit', { scannedAt: last });
      for (const token of [viewer(), ops(), admin()]) {
        const res = await call('GET', `/packages/${pkg.trackingNumber}`, token);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          trackingNumber: pkg.trackingNumber,
          status: 'in_transit',
          lastScanTime: last,
        });
        expect(res.body.scans.map((s: { status: string }) => s.status)).toEqual(['in_transit', 'picked_up', 'created']);
      }
    });

    it('carries at most the last 10 scans', async () => {
      const pkg = await create();
      for (let i = 0; i < 12; i++) await scan(pkg.trackingNumber, 'in_transit', { location: `Stop ${i}` });
      const res = await call('GET', `/packages/${pkg.trackingNumber}`, viewer());
      expect(res.body.scans).toHaveLength(10);
      expect(res.body.scans[0].location).toBe('Stop 11');
    });

    it('answers 404 for an unknown package, 400 for a malformed number, 401 without a token', async () => {
      expect((await call('GET', '/packages/UNKNOWN123', viewer())).status).toBe(404);
      expect((await call('GET', '/packages/bad%20number', viewer())).status).toBe(400);
      expect((await call('GET', '/packages/UNKNOWN123')).status).toBe(401);
    });

    it('is exactly the package: snapshot', async () => {
      const t = ctx.app();
      const pkg = await create();
      await scan(pkg.trackingNumber, 'picked_up');
      const res = await call('GET', `/packages/${pkg.trackingNumber}`, viewer());
      const snapshot = await t.app.get(SnapshotRegistry).snapshot(`package:${pkg.trackingNumber}`);
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(res.body);
      expect(await t.app.get(SnapshotRegistry).snapshot('package:NOSUCHPKG')).toBeUndefined();
    });
  });

  describe('GET /packages', () => {
    it('pages newest first with an opaque cursor, without gaps or duplicates', async () => {
      const carrier = `Pager${tn()}`;
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await create(tn(), { carrier })).trackingNumber);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `carrier=${carrier}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await call('GET', `/packages?${query}`, viewer());
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((p: { trackingNumber: string }) => p.trackingNumber));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([...created].reverse());
    });

    it('filters by status', async () => {
      const carrier = `Filter${tn()}`;
      const a = await create(tn(), { carrier });
      await create(tn(), { carrier });
      await scan(a.trackingNumber, 'exception');
      const res = await call('GET', `/packages?carrier=${carrier}&status=exception`, viewer());
      expect(res.body.items.map((p: { trackingNumber: string }) => p.trackingNumber)).toEqual([a.trackingNumber]);
      expect(res.body.nextCursor).toBeNull();
    });

    it.each([
      ['an unknown status', 'status=lost', 'status'],
      ['a limit of 0', 'limit=0', 'limit'],
      ['a limit of 101', 'limit=101', 'limit'],
      ['a forged cursor', 'cursor=abc', 'cursor'],
      ['an unknown parameter', 'sort=asc', 'sort'],
    ])('answers 400 for %s', async (_name, query, field) => {
      const res = await call('GET', `/packages?${query}`, viewer());
      expect(res.status).toBe(400);
      expect(fieldNames(res.body)).toEqual([field]);
    });

    it('answers 401 without a token', async () => {
      expect((await call('GET', '/packages')).status).toBe(401);
    });
  });

  describe('PackageQuery', () => {
    it('reports aggregates computed by the database', async () => {
      const t = ctx.app();
      const query = t.app.get(PackageQuery);
      const before = await query.stats(new Date());
      const late = await create(tn(), { estimatedDelivery: '2020-01-01T00:00:00.000Z' });
      const done = await create(tn());
      await scan(done.trackingNumber, 'delivered');
      const after = await query.stats(new Date());
      expect(after.total).toBe(before.total + 2);
      expect(after.delayed).toBe(before.delayed + 1);
      expect(after.deliveredCount).toBe(before.deliveredCount + 1);
      expect(after.byStatus.delivered).toBe((before.byStatus.delivered ?? 0) + 1);
      expect(after.avgDeliveryHours).toBeGreaterThanOrEqual(0);
      const active = await query.findActive();
      expect(active.map((p) => p.trackingNumber)).toContain(late.trackingNumber);
      expect(active.map((p) => p.trackingNumber)).not.toContain(done.trackingNumber);
      expect((await query.findByTrackingNumber(done.trackingNumber))?.status).toBe('delivered');
      expect(await query.findByTrackingNumber('NOSUCH1')).toBeUndefined();
    });
  });
});
