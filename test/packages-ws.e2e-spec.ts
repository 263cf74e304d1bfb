import { startApp, type TestApp } from './support/app.js';
import { createTestDatabase, type TestDatabase } from './support/postgres.js';
import { ops, viewer } from './support/tokens.js';
import { connected, type TestClient } from './support/ws.js';

const PARIS = { name: 'Paris', latitude: 48.8566, longitude: 2.3522 };
const BERLIN = { name: 'Berlin', latitude: 52.52, longitude: 13.405 };

let serial = 0;
const tn = () => `WS${Date.now().toString(36).toUpperCase()}${(serial++).toString().padStart(4, '0')}`;

const backends: [string, () => Promise<TestDatabase | undefined | null>][] = [
  ['SQLite', () => Promise.resolve(null)],
  ['PostgreSQL', () => createTestDatabase('packages over WebSocket')],
];

describe.each(backends)('packages over WebSocket on %s', (_backend, makeDb) => {
  let t: TestApp | undefined;
  let db: TestDatabase | undefined | null;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    db = await makeDb();
    if (db === undefined) return;
    t = await startApp(db ? { DATABASE_URL: db.url } : {});
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await t?.close();
    await db?.drop();
  });

  async function client(path: string, token = viewer()) {
    const c = await connected(t!.ws, path, { token });
    clients.push(c);
    return c;
  }

  async function post(path: string, body: unknown) {
    const res = await fetch(`${t!.http}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: JSON.parse(await res.text()) };
  }

  const create = (trackingNumber: string, carrier = 'DHL') =>
    post('/packages', {
      trackingNumber,
      carrier,
      origin: PARIS,
      destination: BERLIN,
      estimatedDelivery: '2030-05-01T12:00:00Z',
    });

  const scan = (trackingNumber: string, status: string) =>
    post(`/packages/${trackingNumber}/scans`, { status, location: 'Frankfurt', latitude: 50.11, longitude: 8.68 });

  it('/ws/packages receives package_update for a new package and for each scan', async () => {
    if (!t) return;
    const c = await client('/ws/packages');
    const trackingNumber = tn();
    const created = await create(trackingNumber);
    expect(created.status).toBe(201);
    const first = await c.next((f) => f.type === 'package_update' && f.data.trackingNumber === trackingNumber);
    expect(first).toMatchObject({ topic: 'package_updates', data: { status: 'created', carrier: 'DHL' } });
    expect(typeof first.id).toBe('string');
    await scan(trackingNumber, 'picked_up');
    const second = await c.next((f) => f.type === 'package_update' && f.data.trackingNumber === trackingNumber);
    expect(second.data).toMatchObject({
      packageId: created.body.packageId,
      status: 'picked_up',
      location: 'Frankfurt',
      latitude: 50.11,
      longitude: 8.68,
      carrier: 'DHL',
      estimatedDelivery: '2030-05-01T12:00:00.000Z',
    });
    expect(typeof second.data.lastScanTime).toBe('string');
  });

  it('package:{trackingNumber} sends the GET /packages/:trackingNumber state as snapshot, then live updates', async () => {
    if (!t) return;
    const trackingNumber = tn();
    await create(trackingNumber);
    await scan(trackingNumber, 'picked_up');
    const c = await client('/ws/connect');
    const reply = await c.request('subscribe', { topics: [`package:${trackingNumber}`] });
    expect(reply.type).toBe('subscribed');
    const snapshot = await c.next('snapshot');
    const get = await fetch(`${t.http}/packages/${trackingNumber}`, {
      headers: { authorization: `Bearer ${viewer()}` },
    });
    expect(snapshot.topic).toBe(`package:${trackingNumber}`);
    expect(snapshot.data).toEqual(await get.json());
    await scan(trackingNumber, 'in_transit');
    const live = await c.next('package_update');
    expect(live).toMatchObject({ topic: `package:${trackingNumber}`, data: { trackingNumber, status: 'in_transit' } });
  });

  it('/ws/map receives map_update for each accepted scan', async () => {
    if (!t) return;
    const c = await client('/ws/map');
    const trackingNumber = tn();
    const created = await create(trackingNumber);
    await scan(trackingNumber, 'in_transit');
    const map = await c.next((f) => f.type === 'map_update' && f.data.trackingNumber === trackingNumber);
    expect(map).toMatchObject({
      topic: 'map_updates',
      data: { packageId: created.body.packageId, latitude: 50.11, longitude: 8.68, status: 'in_transit' },
    });
  });

  it('a rejected scan publishes nothing', async () => {
    if (!t) return;
    const trackingNumber = tn();
    await create(trackingNumber);
    await scan(trackingNumber, 'delivered');
    const c = await client('/ws/map');
    expect((await scan(trackingNumber, 'in_transit')).status).toBe(409);
    // A later accepted scan of another package arrives first: nothing was sent for the rejected one.
    const other = tn();
    await create(other);
    await scan(other, 'picked_up');
    const next = await c.next('map_update');
    expect(next.data.trackingNumber).toBe(other);
  });

  it('a carrier filter on package_updates delivers matching packages only', async () => {
    if (!t) return;
    const c = await client('/ws/connect');
    const reply = await c.request('subscribe', { topics: ['package_updates'], filter: { carrier: 'USPS' } });
    expect(reply.type).toBe('subscribed');
    const dhl = tn();
    const usps = tn();
    await create(dhl, 'DHL');
    await create(usps, 'USPS');
    const got = await c.next('package_update');
    expect(got.data.trackingNumber).toBe(usps);
  });
});
