import { describeOnBackends } from '../support/backends.js';
import { postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { connected } from '../support/ws.js';

const PARIS = { name: 'Paris', latitude: 48.8566, longitude: 2.3522 };
const BERLIN = { name: 'Berlin', latitude: 52.52, longitude: 13.405 };

const tn = trackingNumbers('WS');

await describeOnBackends('packages over WebSocket on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());

  async function client(path: string, token = viewer()) {
    return ctx.track(await connected(ctx.app().ws, path, { token }));
  }

  const create = (trackingNumber: string, carrier = 'DHL') =>
    postPackage(call, ops(), {
      trackingNumber,
      carrier,
      origin: PARIS,
      destination: BERLIN,
      estimatedDelivery: '2030-05-01T12:00:00Z',
    });

  const scan = (trackingNumber: string, status: string) =>
    postScan(call, trackingNumber, ops(), { status, location: 'Frankfurt', latitude: 50.11, longitude: 8.68 });

  it('/ws/packages receives package_update for a new package and for each scan', async () => {
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
    const trackingNumber = tn();
    await create(trackingNumber);
    await scan(trackingNumber, 'picked_up');
    const c = await client('/ws/connect');
    const reply = await c.request('subscribe', { topics: [`package:${trackingNumber}`] });
    expect(reply.type).toBe('subscribed');
    const snapshot = await c.next('snapshot');
    const get = await fetch(`${ctx.app().http}/packages/${trackingNumber}`, {
      headers: { authorization: `Bearer ${viewer()}` },
    });
    expect(snapshot.topic).toBe(`package:${trackingNumber}`);
    expect(snapshot.data).toEqual(await get.json());
    await scan(trackingNumber, 'in_transit');
    const live = await c.next('package_update');
    expect(live).toMatchObject({ topic: `package:${trackingNumber}`, data: { trackingNumber, status: 'in_transit' } });
  });

  it('/ws/map receives map_update for each accepted scan', async () => {
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
