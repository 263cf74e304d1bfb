import { describeOnBackends } from '../support/backends.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers, type Call, type Json } from '../support/http.js';
import { admin, ops, viewer } from '../support/tokens.js';
import { connected, type Frame } from '../support/ws.js';
import { waitFor } from '../support/wait.js';

const LYON = { location: 'Lyon', latitude: 45.764, longitude: 4.8357 };
const tn = trackingNumbers('SB');

async function created(call: Call): Promise<string> {
  const trackingNumber = tn();
  expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
  return trackingNumber;
}

const statuses = (body: Json) => body.results.map((r: { status: number }) => r.status);

await describeOnBackends('POST /scans on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());
  const batch = (scans: unknown, token = ops()) => call('POST', '/scans', token, { scans });

  it('answers each item exactly as the single route would: 201, 200 replay, 400, 404, 409', async () => {
    const a = await created(call);
    const twin = await created(call);
    const unknown = tn('NOPE');
    // The twin package gets the same requests one by one, to compare the answers with.
    expect((await postScan(call, twin, ops(), { status: 'picked_up', ...LYON, scanId: 'p' })).status).toBe(201);

    const items = [
      { trackingNumber: a, status: 'picked_up', ...LYON, scanId: 'p' },
      { trackingNumber: a, status: 'picked_up', ...LYON, scanId: 'p' },
      { trackingNumber: a, status: 'teleported', ...LYON, latitude: 91, colour: 'red' },
      { trackingNumber: unknown, status: 'picked_up', ...LYON },
      { trackingNumber: a, status: 'created', ...LYON },
      { trackingNumber: 'not a tracking number', status: 'picked_up', ...LYON },
      'not an object',
      { trackingNumber: a, status: 'in_transit', ...LYON, scannedAt: '2000-01-01T00:00:00Z' },
    ];
    const res = await batch(items);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { index: number }) => r.index)).toEqual(items.map((_, i) => i));
    expect(statuses(res.body)).toEqual([201, 200, 400, 404, 409, 400, 400, 400]);

    const [applied, replayed, invalid, missing, backwards, badNumber, notObject, beforeCreation] = res.body.results;
    expect(applied.body).toMatchObject({ trackingNumber: a, status: 'picked_up', location: 'Lyon' });
    expect(replayed.body).toEqual(applied.body);

    const single = async (trackingNumber: string, body: object) => {
      const r = await postScan(call, trackingNumber, ops(), body);
      return { status: r.status, body: r.body };
    };
    expect({ status: invalid.status, body: invalid.body }).toEqual(
      await single(twin, { status: 'teleported', ...LYON, latitude: 91, colour: 'red' }),
    );
    expect(invalid.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'latitude', 'status']);
    expect({ status: missing.status, body: missing.body }).toEqual(
      await single(unknown, { status: 'picked_up', ...LYON }),
    );
    expect({ status: backwards.status, body: backwards.body }).toEqual(
      await single(twin, { status: 'created', ...LYON }),
    );
    expect(backwards.body).toMatchObject({ code: 'INVALID_TRANSITION', currentStatus: 'picked_up' });
    expect(badNumber.body.fields).toEqual([{ field: 'trackingNumber', errors: [expect.any(String)] }]);
    expect({ status: badNumber.status, body: badNumber.body }).toEqual(
      await single('not-a-tracking-number!', { status: 'picked_up', ...LYON }),
    );
    expect(notObject.body.fields[0].field).toBe('body');
    expect({ status: beforeCreation.status, body: beforeCreation.body.fields.map((f: Json) => f.field) }).toEqual({
      status: 400,
      body: ['scannedAt'],
    });

    const history = await call('GET', `/packages/${a}/scans`, viewer());
    expect(history.body.items.map((s: { status: string }) => s.status)).toEqual(['created', 'picked_up']);
  });

  it('applies the scans of one package in array order, interleaved with others, and publishes each once', async () => {
    const a = await created(call);
    const b = await created(call);
    const watcher = ctx.track(await connected(ctx.app().ws, '/ws/connect', { token: viewer() }));
    const topics = [`package:${a}`, `package:${b}`, 'map_updates'];
    expect((await watcher.request('subscribe', { topics })).type).toBe('subscribed');
    await watcher.next('snapshot');
    await watcher.next('snapshot');

    const route = ['picked_up', 'in_transit', 'at_facility', 'in_transit', 'out_for_delivery', 'delivered'];
    const items = route.flatMap((status, i) => [
      { trackingNumber: a, status, ...LYON, scanId: `a${i}` },
      { trackingNumber: b, status, ...LYON, scanId: `b${i}` },
    ]);
    // One move that is only valid because it comes first, one that is only refused because it comes last.
    items.push({ trackingNumber: a, status: 'picked_up', ...LYON, scanId: 'late' });
    const res = await batch(items, admin());
    expect(res.status).toBe(200);
    expect(statuses(res.body)).toEqual([...items.slice(0, -1).map(() => 201), 409]);

    const updates = (trackingNumber: string) => (f: Frame) =>
      f.type === 'package_update' && f.topic === `package:${trackingNumber}`;
    await waitFor(
      () => watcher.all(updates(a)).length === route.length && watcher.all(updates(b)).length === route.length,
    );
    expect(watcher.all(updates(a)).map((f) => f.data.status)).toEqual(route);
    expect(watcher.all(updates(b)).map((f) => f.data.status)).toEqual(route);
    await waitFor(() => watcher.all('map_update').length === 2 * route.length);

    for (const trackingNumber of [a, b]) {
      const history = await call('GET', `/packages/${trackingNumber}/scans`, viewer());
      expect(history.body.items.map((s: { status: string }) => s.status)).toEqual(['created', ...route]);
    }

    // Sent again, the whole batch replays: 200 each (the refused one still 409), nothing published.
    const again = await batch(items, admin());
    expect(statuses(again.body)).toEqual([...items.slice(0, -1).map(() => 200), 409]);
    for (const [i, r] of again.body.results.entries())
      if (r.status === 200) expect(r.body).toEqual(res.body.results[i].body);
    const final = await postScan(call, a, ops(), { status: 'returned', ...LYON });
    expect(final.status).toBe(201);
    await watcher.next((f) => updates(a)(f) && f.data.status === 'returned');
    expect(watcher.all(updates(a)).length).toBe(route.length + 1);
    expect(watcher.all(updates(b)).length).toBe(route.length);
  });

  it('takes 1,000 scans over many packages and answers after they are all committed', async () => {
    const packages = await Promise.all(Array.from({ length: 50 }, () => created(call)));
    // Twenty rounds over fifty packages: picked_up, then in_transit and at_facility in turn.
    const items = Array.from({ length: 1_000 }, (_, i) => {
      const step = Math.floor(i / packages.length);
      const status = step === 0 ? 'picked_up' : step % 2 === 1 ? 'in_transit' : 'at_facility';
      return { trackingNumber: packages[i % packages.length], status, ...LYON, scanId: `s${i}` };
    });
    const res = await batch(items);
    expect(res.status).toBe(200);
    expect(statuses(res.body).every((s: number) => s === 201)).toBe(true);
    const history = await call('GET', `/packages/${packages[7]}/scans?limit=500`, viewer());
    expect(history.body.items).toHaveLength(1 + 1_000 / packages.length);
    // A thousand synchronous commits: seconds on a loaded machine.
  }, 90_000);

  it('refuses a malformed envelope with 400 naming the field, and checks the role', async () => {
    const item = { trackingNumber: tn(), status: 'picked_up', ...LYON };
    const cases: [unknown, string][] = [
      [{ scans: item }, 'scans'],
      [{ scans: [] }, 'scans'],
      [{ scans: Array.from({ length: 1_001 }, () => item) }, 'scans'],
      [{}, 'scans'],
      [{ scans: [item], dryRun: true }, 'dryRun'],
      [[item], 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/scans', ops(), body);
      expect(res.status).toBe(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    expect((await batch([item], viewer())).status).toBe(403);
    expect((await call('POST', '/scans', undefined, { scans: [item] })).status).toBe(401);
  });
});
