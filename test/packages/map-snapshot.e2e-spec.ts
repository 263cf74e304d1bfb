import { DataSource } from 'typeorm';
import { EventBus } from '../../apps/gateway/src/bus/event-bus.js';
import { MAP_SNAPSHOT_LIMIT } from '../../apps/gateway/src/packages/map-snapshot.provider.js';
import { PackageEntity } from '../../apps/gateway/src/packages/storage/package.entity.js';
import { describeOnBackends } from '../support/backends.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';
import { connected, type Frame } from '../support/ws.js';

/** Contract revision 2, Snapshots: `map_updates` sends every in-flight position from the first frame. */
const tn = trackingNumbers('MAP');

await describeOnBackends('map_updates snapshot on %s', {}, (ctx) => {
  const call = rest(() => ctx.app());
  const names: Record<string, string> = {};

  async function place(name: string, latitude: number, longitude: number, status = 'in_transit'): Promise<void> {
    const trackingNumber = tn();
    names[name] = trackingNumber;
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    const scan = await postScan(call, trackingNumber, ops(), { status, location: name, latitude, longitude });
    expect(scan.status).toBe(201);
  }

  async function snapshotOf(data: object): Promise<Frame> {
    const c = await connected(ctx.app().ws, '/ws/connect', { token: viewer() });
    const reply = await c.request('subscribe', data);
    expect(reply.type).toBe('subscribed');
    const snapshot = await c.next((f) => f.type === 'snapshot' && f.topic === 'map_updates');
    await c.close();
    return snapshot;
  }

  const trackingOf = (f: Frame) => (f.data.positions as { trackingNumber: string }[]).map((p) => p.trackingNumber);

  beforeAll(async () => {
    // Scanned in this order, so "most recently scanned first" is the reverse.
    await place('lyon', 45.76, 4.84);
    await place('vienna', 48.21, 16.37, 'picked_up');
    await place('fiji', -17.7, 178.9);
    await place('delivered', 45.5, 5.5, 'delivered');
    await place('samoa', -13.8, -171.8, 'exception');
  }, 60_000);
  it('holds every package neither delivered nor returned, most recently scanned first, with map_update fields', async () => {
    const snapshot = await snapshotOf({ topics: ['map_updates'] });
    expect(trackingOf(snapshot)).toEqual([names.samoa, names.fiji, names.vienna, names.lyon]);
    expect(snapshot.data.truncated).toBe(false);
    expect(snapshot.data.positions[3]).toMatchObject({
      trackingNumber: names.lyon,
      latitude: 45.76,
      longitude: 4.84,
      status: 'in_transit',
    });
    expect(typeof snapshot.data.positions[3].packageId).toBe('string');
  });

  it('is narrowed to the subscription bbox, also across the antimeridian', async () => {
    const france = await snapshotOf({ topics: ['map_updates'], filter: { bbox: [0, 40, 10, 50] } });
    expect(trackingOf(france)).toEqual([names.lyon]);
    const pacific = await snapshotOf({ topics: ['map_updates'], filter: { bbox: [170, -20, -170, 0] } });
    expect(trackingOf(pacific)).toEqual([names.samoa, names.fiji]);
  });

  it('is sent to /ws/map on connect, before any live map_update', async () => {
    const c = await connected(ctx.app().ws, '/ws/map', { token: viewer() });
    const first = await c.next((f) => f.topic === 'map_updates');
    expect(first.type).toBe('snapshot');
    expect(trackingOf(first)).toHaveLength(4);
    await c.close();
  });

  it(`stops at ${MAP_SNAPSHOT_LIMIT} positions and says so`, async () => {
    const repo = ctx.app().app.get(DataSource).getRepository(PackageEntity);
    const now = Date.now();
    const rows = Array.from({ length: MAP_SNAPSHOT_LIMIT }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      trackingNumber: `BULK${String(i).padStart(8, '0')}`,
      carrier: 'DHL',
      status: 'in_transit' as const,
      statusBeforeException: null,
      originName: 'A',
      originLatitude: 0,
      originLongitude: 0,
      destinationName: 'B',
      destinationLatitude: 1,
      destinationLongitude: 1,
      location: 'bulk',
      latitude: 10,
      longitude: 10,
      estimatedDeliveryMs: now + 86_400_000,
      // Older than every scanned package above: those stay out of the first 5,000.
      lastScanMs: now - 3_600_000 - i,
      createdAtMs: now - 7_200_000,
      deliveredAtMs: null,
      version: 1,
    }));
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
    // Written behind the application's back: publish what its write path would, or the
    // snapshots shared since the last change (EventInvalidatedCache) would rightly stand.
    const first = rows[0];
    await ctx
      .app()
      .app.get(EventBus)
      .publish('map_updates', 'map_update', {
        packageId: first.id,
        trackingNumber: first.trackingNumber,
        latitude: first.latitude,
        longitude: first.longitude,
        status: first.status,
        carrier: first.carrier,
        lastScanTime: new Date(first.lastScanMs).toISOString(),
      });
    const snapshot = await snapshotOf({ topics: ['map_updates'] });
    expect(snapshot.data.positions).toHaveLength(MAP_SNAPSHOT_LIMIT);
    expect(snapshot.data.truncated).toBe(true);
    expect(trackingOf(snapshot).slice(0, 4)).toEqual([names.samoa, names.fiji, names.vienna, names.lyon]);
  }, 60_000);

  it('a change between two subscribes is in the second snapshot (shared snapshots end with the next event)', async () => {
    const oslo = { topics: ['map_updates'], filter: { bbox: [10, 59, 11, 60] } };
    expect(trackingOf(await snapshotOf(oslo))).toEqual([]);
    expect(trackingOf(await snapshotOf(oslo))).toEqual([]);
    const moved = await postScan(call, names.vienna, ops(), {
      status: 'in_transit',
      location: 'Oslo',
      latitude: 59.91,
      longitude: 10.75,
    });
    expect(moved.status).toBe(201);
    const after = await snapshotOf(oslo);
    expect(trackingOf(after)).toEqual([names.vienna]);
    expect(after.data.positions[0]).toMatchObject({ latitude: 59.91, longitude: 10.75 });
  });
});
