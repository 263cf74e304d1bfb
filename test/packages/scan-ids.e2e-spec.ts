import { describeOnBackends } from '../support/backends.js';
import { callApp, packageBody, postPackage, postScan, rest, trackingNumbers, type Call } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { connected, type TestClient } from '../support/ws.js';

const LYON = { location: 'Lyon', latitude: 45.764, longitude: 4.8357 };
const DIJON = { location: 'Dijon', latitude: 47.322, longitude: 5.0415 };

const tn = trackingNumbers('SI');

async function created(call: Call): Promise<string> {
  const trackingNumber = tn();
  expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
  return trackingNumber;
}

/** The next package_update on `package:{trackingNumber}` that `client` receives. */
const nextUpdate = (client: TestClient, trackingNumber: string) =>
  client.next((f) => f.type === 'package_update' && f.topic === `package:${trackingNumber}`);

await describeOnBackends('idempotent scans and scan history on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());

  async function follow(trackingNumber: string): Promise<TestClient> {
    const c = ctx.track(await connected(ctx.app().ws, '/ws/connect', { token: viewer() }));
    expect((await c.request('subscribe', { topics: [`package:${trackingNumber}`] })).type).toBe('subscribed');
    await c.next('snapshot');
    return c;
  }

  describe('scanId', () => {
    it('answers 200 with the state the first scan produced and publishes nothing', async () => {
      const trackingNumber = await created(call);
      const c = await follow(trackingNumber);

      const first = await postScan(call, trackingNumber, ops(), { status: 'picked_up', ...LYON, scanId: 'a-1' });
      expect(first.status).toBe(201);
      expect((await nextUpdate(c, trackingNumber)).data).toMatchObject({ status: 'picked_up', location: 'Lyon' });

      // The package moves on; a retry of the first scan still answers what that scan produced.
      const second = await postScan(call, trackingNumber, ops(), { status: 'in_transit', ...DIJON, scanId: 'a-2' });
      expect(second.status).toBe(201);
      expect((await nextUpdate(c, trackingNumber)).data).toMatchObject({ status: 'in_transit' });

      const retry = await postScan(call, trackingNumber, ops(), { status: 'picked_up', ...LYON, scanId: 'a-1' });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);

      // A later real scan is the very next frame: the replay put nothing on the topic in between.
      const third = await postScan(call, trackingNumber, ops(), { status: 'at_facility', ...DIJON, scanId: 'a-3' });
      expect(third.status).toBe(201);
      expect((await nextUpdate(c, trackingNumber)).data).toMatchObject({ status: 'at_facility' });
      expect(c.all((f) => f.type === 'package_update').length).toBe(3);

      const history = await call('GET', `/packages/${trackingNumber}/scans`, viewer());
      expect(history.body.items.map((s: { status: string }) => s.status)).toEqual([
        'created',
        'picked_up',
        'in_transit',
        'at_facility',
      ]);
    });

    it('replays even when the move would now be refused (a retried delivery)', async () => {
      const trackingNumber = await created(call);
      const first = await postScan(call, trackingNumber, ops(), { status: 'delivered', ...LYON, scanId: 'deliv' });
      expect(first.status).toBe(201);
      expect(first.body.deliveredAt).toBeDefined();
      const retry = await postScan(call, trackingNumber, ops(), { status: 'delivered', ...LYON, scanId: 'deliv' });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      // Without the scanId the same move is a second delivery: refused.
      expect((await postScan(call, trackingNumber, ops(), { status: 'delivered', ...LYON })).status).toBe(409);
    });

    it('is scoped to the package: the same scanId on another package is a new scan', async () => {
      const a = await created(call);
      const b = await created(call);
      expect((await postScan(call, a, ops(), { status: 'picked_up', ...LYON, scanId: 'shared' })).status).toBe(201);
      expect((await postScan(call, b, ops(), { status: 'picked_up', ...LYON, scanId: 'shared' })).status).toBe(201);
    });

    it('answers 400 naming scanId when it is empty, too long or not a string', async () => {
      const trackingNumber = await created(call);
      for (const scanId of ['', 'x'.repeat(65), 12]) {
        const res = await postScan(call, trackingNumber, ops(), { status: 'picked_up', ...LYON, scanId });
        expect(res.status).toBe(400);
        expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['scanId']);
      }
      expect(
        (await postScan(call, trackingNumber, ops(), { status: 'picked_up', ...LYON, scanId: 'x'.repeat(64) })).status,
      ).toBe(201);
    });

    it('applies a scanId sent concurrently exactly once', async () => {
      const trackingNumber = await created(call);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          postScan(call, trackingNumber, ops(), { status: 'picked_up', ...LYON, scanId: 'burst' }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      for (const a of answers) expect(a.body).toEqual(answers[0]?.body);
      const history = await call('GET', `/packages/${trackingNumber}/scans`, viewer());
      expect(history.body.items).toHaveLength(2);
    });
  });

  describe('GET /packages/:trackingNumber/scans', () => {
    it('pages every scan oldest first with an opaque cursor', async () => {
      const trackingNumber = await created(call);
      const moves = ['picked_up', 'in_transit', 'at_facility', 'in_transit', 'at_facility', 'out_for_delivery'];
      for (const [i, status] of moves.entries()) {
        expect((await postScan(call, trackingNumber, ops(), { status, ...LYON, scanId: `m${i}` })).status).toBe(201);
      }
      const seen: { status: string; scanId?: string }[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
        const res = await call('GET', `/packages/${trackingNumber}/scans${query}`, viewer());
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen.map((s) => s.status)).toEqual(['created', ...moves]);
      expect(seen.map((s) => s.scanId)).toEqual([undefined, ...moves.map((_, i) => `m${i}`)]);
    });

    it('answers 404 for an unknown package and 400 for a bad limit or cursor', async () => {
      expect((await call('GET', `/packages/${tn('NOPE')}/scans`, viewer())).status).toBe(404);
      const trackingNumber = await created(call);
      for (const query of ['?limit=0', '?limit=501', '?limit=abc', '?cursor=bogus']) {
        const res = await call('GET', `/packages/${trackingNumber}/scans${query}`, viewer());
        expect(res.status).toBe(400);
        expect(res.body.fields.length).toBeGreaterThan(0);
      }
      expect((await call('GET', `/packages/${trackingNumber}/scans?limit=500`, viewer())).status).toBe(200);
      expect((await call('GET', `/packages/${trackingNumber}/scans`)).status).toBe(401);
    });
  });

  // Two instances share a database only on PostgreSQL (SQLite is one file per instance).
  (ctx.backend === 'PostgreSQL' ? it : it.skip)('two instances on one database apply a scanId once', async () => {
    const first = ctx.app();
    const other = await ctx.start();
    const call = rest(() => first);
    const trackingNumber = await created(call);
    const body = { status: 'picked_up', ...LYON, scanId: 'two-instances' };
    const answers = await Promise.all([
      callApp(other, 'POST', `/packages/${trackingNumber}/scans`, ops(), body),
      postScan(call, trackingNumber, ops(), body),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    const history = await call('GET', `/packages/${trackingNumber}/scans`, viewer());
    expect(history.body.items).toHaveLength(2);
  });
});
