import type { PackageStatus } from '@tracklight/protocol';
import { checkTransition } from '../packages/package-transitions.js';
import { isTrackingNumber } from '../packages/dto/tracking-number.js';
import { haversineKm } from '../geo/great-circle.js';
import type { SimAction } from './sim-types.js';
import { Simulation } from './simulation.js';

const OPTIONS = { seed: 42, maxPackages: 30, maxSpeedKmh: 1000, stuckAfterMs: 120_000 };
const START = Date.parse('2026-03-01T08:00:00.000Z');

interface Scan {
  status: PackageStatus;
  latitude: number;
  longitude: number;
  at: number;
}
interface Stored {
  status: PackageStatus;
  beforeException?: PackageStatus;
  eta: number;
  destination: { latitude: number; longitude: number };
  scans: Scan[];
  rejected: number;
}

/** Runs the simulation at `rate` actions per second against a model of the server's rules. */
function run(seed: number, minutes: number, rate = 2) {
  const sim = new Simulation({ ...OPTIONS, seed });
  const store = new Map<string, Stored>();
  const actions: SimAction[] = [];
  let maxLive = 0;
  for (let now = START; now < START + minutes * 60_000; now += 1000 / rate) {
    const action = sim.tick(now);
    maxLive = Math.max(maxLive, sim.size);
    if (!action) continue;
    actions.push(action);
    if (action.kind === 'create') {
      const { input } = action;
      expect(store.has(input.trackingNumber)).toBe(false);
      store.set(input.trackingNumber, {
        status: 'created',
        eta: Date.parse(input.estimatedDelivery),
        destination: input.destination,
        scans: [{ status: 'created', ...input.origin, at: now }],
        rejected: 0,
      });
      continue;
    }
    const pkg = store.get(action.trackingNumber)!;
    const result = checkTransition(pkg.status, action.input.status, pkg.beforeException);
    expect(result.ok ? 'accepted' : 'rejected').toBe(action.expect);
    expect(Date.parse(action.input.scannedAt)).toBe(now);
    if (!result.ok) {
      pkg.rejected++;
      continue;
    }
    pkg.status = action.input.status;
    pkg.beforeException = result.beforeException;
    pkg.scans.push({ ...action.input, at: now });
  }
  return { sim, store, actions, maxLive };
}

const speedKmh = (a: Scan, b: Scan) => haversineKm(a, b) / ((b.at - a.at) / 3_600_000);

describe('Simulation', () => {
  const { store, actions, maxLive } = run(OPTIONS.seed, 10);
  const all = [...store.values()];

  it('is deterministic for a seed and differs between seeds', () => {
    expect(run(OPTIONS.seed, 3).actions).toEqual(run(OPTIONS.seed, 3).actions);
    expect(run(7, 3).actions).not.toEqual(run(OPTIONS.seed, 3).actions);
  });

  it('keeps the number of live packages under the cap', () => {
    expect(maxLive).toBeLessThanOrEqual(OPTIONS.maxPackages);
    expect(store.size).toBeGreaterThanOrEqual(OPTIONS.maxPackages);
  });

  it('creates valid packages between distinct real places, with an ETA after creation', () => {
    for (const a of actions) {
      if (a.kind !== 'create') continue;
      expect(isTrackingNumber(a.input.trackingNumber)).toBe(true);
      expect(a.input.origin.name).not.toBe(a.input.destination.name);
      expect(['UPS', 'FedEx', 'DHL', 'USPS', 'Royal Mail', 'DPD', 'Japan Post']).toContain(a.input.carrier);
    }
  });

  it('moves packages through to delivery within minutes on regional routes', () => {
    expect(all.some((p) => p.status === 'delivered')).toBe(true);
  });

  it('produces a backward scan that the rules refuse (status_regression)', () => {
    expect(all.some((p) => p.rejected > 0)).toBe(true);
  });

  it('keeps ordinary movement below the speed limit and produces an impossible jump (impossible_travel)', () => {
    let impossible = 0;
    for (const p of all) {
      for (let i = 1; i < p.scans.length; i++) {
        const [a, b] = [p.scans[i - 1], p.scans[i]];
        if (haversineKm(a, b) >= 5 && speedKmh(a, b) > OPTIONS.maxSpeedKmh) impossible++;
      }
    }
    // One mis-keyed scan makes two impossible hops: there and back.
    expect(impossible).toBeGreaterThan(0);
    const ordinary = all.filter(
      (p) => !p.scans.some((s, i) => i > 0 && speedKmh(p.scans[i - 1], s) > OPTIONS.maxSpeedKmh),
    );
    expect(ordinary.length).toBeGreaterThan(all.length * 0.7);
  });

  it('moves a package away from its destination over consecutive scans (route_deviation)', () => {
    const deviated = all.some((p) => {
      const d = p.scans.map((s) => haversineKm(s, p.destination));
      for (let i = 3; i < d.length; i++)
        if (d[i] > d[i - 1] + 2 && d[i - 1] > d[i - 2] + 2 && d[i - 2] > d[i - 3] + 2) return true;
      return false;
    });
    expect(deviated).toBe(true);
  });

  it('lets a package go silent past the stuck threshold (stuck_package), others stay well inside it', () => {
    const gaps = all.flatMap((p) =>
      p.status === 'delivered' || p.status === 'returned' ? [] : p.scans.slice(1).map((s, i) => s.at - p.scans[i].at),
    );
    expect(gaps.some((g) => g > OPTIONS.stuckAfterMs)).toBe(true);
    expect(gaps.filter((g) => g > OPTIONS.stuckAfterMs).length).toBeLessThan(gaps.length * 0.1);
  });

  it('misses an ETA while not delivered (delayed_delivery)', () => {
    const end = START + 10 * 60_000;
    expect(all.some((p) => p.status !== 'delivered' && p.status !== 'returned' && p.eta < end)).toBe(true);
  });

  it('puts a package on hold with an exception and resumes or returns it', () => {
    const held = all.filter((p) => p.scans.some((s) => s.status === 'exception'));
    expect(held.length).toBeGreaterThan(0);
    expect(held.some((p) => p.scans[p.scans.length - 1].status !== 'exception')).toBe(true);
  });

  it('drops a package whose action failed and carries on', () => {
    const sim = new Simulation(OPTIONS);
    const first = sim.tick(START)!;
    expect(first.kind).toBe('create');
    sim.failed(first);
    expect(sim.size).toBe(0);
    expect(sim.tick(START + 500)?.kind).toBe('create');
  });

  it('adopts a package left in flight and scans it again soon', () => {
    const sim = new Simulation({ ...OPTIONS, maxPackages: 1 });
    sim.adopt(
      {
        packageId: 'p1',
        trackingNumber: '1ZABCDEF0123456789',
        status: 'in_transit',
        location: 'somewhere',
        latitude: 50,
        longitude: 8,
        carrier: 'UPS',
        estimatedDelivery: '2026-03-02T00:00:00.000Z',
        lastScanTime: '2026-03-01T07:00:00.000Z',
        version: 2,
        origin: { name: 'Paris, FR', latitude: 48.8566, longitude: 2.3522 },
        destination: { name: 'Warsaw, PL', latitude: 52.2297, longitude: 21.0122 },
        createdAt: '2026-03-01T06:00:00.000Z',
      },
      START,
    );
    expect(sim.size).toBe(1);
    let action: SimAction | undefined;
    for (let now = START; !action && now < START + 20_000; now += 500) action = sim.tick(now);
    expect(action).toMatchObject({ kind: 'scan', trackingNumber: '1ZABCDEF0123456789', expect: 'accepted' });
  });
});
