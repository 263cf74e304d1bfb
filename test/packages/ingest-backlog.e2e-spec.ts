import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops } from '../support/tokens.js';

const LYON = { location: 'Lyon', latitude: 45.764, longitude: 4.8357 };
const tn = trackingNumbers('BL');

describe('the ingest backlog (INGEST_MAX_PENDING_SCANS)', () => {
  let t: TestApp;
  const call = rest(() => t);
  beforeAll(async () => {
    t = await startApp({ INGEST_MAX_PENDING_SCANS: '50' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After while the backlog is full, writing nothing, and admits again once drained', async () => {
    const a = tn();
    const b = tn();
    for (const trackingNumber of [a, b])
      expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    // 400 scans in one request: more than the bound, admitted because the backlog is empty.
    const scans = Array.from({ length: 400 }, (_, i) => ({
      trackingNumber: a,
      status: i % 2 ? 'at_facility' : 'in_transit',
      ...LYON,
    }));
    const big = call('POST', '/scans', ops(), { scans });
    await new Promise((r) => setTimeout(r, 100));

    const res = await fetch(`${t.http}/packages/${b}/scans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'picked_up', ...LYON }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ statusCode: 429, message: expect.stringContaining('retry after') });
    const refusedBatch = await call('POST', '/scans', ops(), {
      scans: [{ trackingNumber: b, status: 'picked_up', ...LYON }],
    });
    expect(refusedBatch.status).toBe(429);

    const done = await big;
    expect(done.status).toBe(200);
    expect(done.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    // Nothing of the refused requests was written; now they go through.
    expect((await call('GET', `/packages/${b}`, ops())).body.status).toBe('created');
    expect((await postScan(call, b, ops(), { status: 'picked_up', ...LYON })).status).toBe(201);
  });
});
