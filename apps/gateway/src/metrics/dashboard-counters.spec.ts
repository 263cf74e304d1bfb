import type { PackageStats } from '../packages/package-view.js';
import { DashboardCounters } from './dashboard-counters.js';

const H = 3_600_000;
const empty: PackageStats = { total: 0, byStatus: {}, delayed: 0, avgDeliveryHours: 0, deliveredCount: 0 };

function fresh(): DashboardCounters {
  const c = new DashboardCounters();
  c.load(empty, [], { total: 0, open: 0 }, 0);
  return c;
}

describe('DashboardCounters', () => {
  it('is all zeros when empty, recoveryRate included (no division by zero)', () => {
    expect(fresh().metrics()).toEqual({
      totalPackages: 0,
      inTransit: 0,
      delivered: 0,
      delayed: 0,
      openAnomalies: 0,
      recoveryRate: 0,
      avgDeliveryHours: 0,
    });
  });

  it('starts from storage aggregates', () => {
    const c = new DashboardCounters();
    c.load(
      {
        total: 10,
        byStatus: {
          created: 1,
          picked_up: 1,
          in_transit: 2,
          at_facility: 1,
          out_for_delivery: 1,
          delivered: 3,
          exception: 1,
        },
        delayed: 2,
        avgDeliveryHours: 30,
        deliveredCount: 3,
      },
      [
        { id: 'late-1', etaMs: 5 * H },
        { id: 'late-2', etaMs: 9 * H },
        { id: 'on-time', etaMs: 20 * H },
      ],
      { total: 8, open: 2 },
      10 * H,
    );
    expect(c.metrics()).toEqual({
      totalPackages: 10,
      inTransit: 5,
      delivered: 3,
      delayed: 2,
      openAnomalies: 2,
      recoveryRate: 0.75,
      avgDeliveryHours: 30,
    });
  });

  it('counts created packages, moves between statuses, and does not count created or exception as in transit', () => {
    const c = fresh();
    c.packageCreated('a', 'created', 100 * H, 0);
    c.packageCreated('b', 'created', 100 * H, 0);
    expect(c.metrics()).toMatchObject({ totalPackages: 2, inTransit: 0 });
    c.statusChanged('a', 'created', 'picked_up', 100 * H, H);
    c.statusChanged('b', 'created', 'in_transit', 100 * H, H);
    expect(c.metrics()).toMatchObject({ totalPackages: 2, inTransit: 2 });
    c.statusChanged('a', 'picked_up', 'exception', 100 * H, 2 * H);
    c.statusChanged('b', 'in_transit', 'in_transit', 100 * H, 2 * H);
    expect(c.metrics()).toMatchObject({ totalPackages: 2, inTransit: 1, delivered: 0 });
  });

  it('averages hours from creation to delivery, keeps deliveries that are later returned in the average', () => {
    const c = fresh();
    c.packageCreated('a', 'created', 100 * H, 0);
    c.packageCreated('b', 'created', 100 * H, 0);
    c.statusChanged('a', 'created', 'delivered', 100 * H, 10 * H, 10 * H);
    c.statusChanged('b', 'created', 'delivered', 100 * H, 25 * H, 25 * H);
    expect(c.metrics()).toMatchObject({ delivered: 2, avgDeliveryHours: 17.5 });
    c.statusChanged('b', 'delivered', 'returned', 100 * H, 30 * H);
    expect(c.metrics()).toMatchObject({ delivered: 1, avgDeliveryHours: 17.5, totalPackages: 2 });
  });

  it('combines a loaded average with new deliveries', () => {
    const c = new DashboardCounters();
    c.load(
      { ...empty, total: 2, byStatus: { delivered: 2 }, avgDeliveryHours: 10, deliveredCount: 2 },
      [],
      { total: 0, open: 0 },
      0,
    );
    c.packageCreated('c', 'created', 100 * H, 0);
    c.statusChanged('c', 'created', 'delivered', 100 * H, 40 * H, 40 * H);
    expect(c.metrics().avgDeliveryHours).toBe(20);
  });

  it('counts a package delayed when the clock passes its ETA, and stops when it is delivered', () => {
    const c = fresh();
    c.packageCreated('a', 'created', 5 * H, 0);
    c.packageCreated('b', 'created', 8 * H, 0);
    c.advance(4 * H);
    expect(c.metrics().delayed).toBe(0);
    c.advance(6 * H);
    expect(c.metrics().delayed).toBe(1);
    c.statusChanged('a', 'created', 'exception', 5 * H, 6 * H);
    expect(c.metrics().delayed).toBe(1); // exception is still not delivered
    c.advance(9 * H);
    expect(c.metrics().delayed).toBe(2);
    c.statusChanged('a', 'exception', 'delivered', 5 * H, 10 * H, 10 * H);
    expect(c.metrics().delayed).toBe(1);
  });

  it('keeps openAnomalies and recoveryRate = resolved / all', () => {
    const c = fresh();
    c.anomalyOpened();
    c.anomalyOpened();
    c.anomalyOpened();
    expect(c.metrics()).toMatchObject({ openAnomalies: 3, recoveryRate: 0 });
    c.anomalyResolved();
    expect(c.metrics()).toMatchObject({ openAnomalies: 2, recoveryRate: 0.3333 });
    c.anomalyResolved();
    c.anomalyResolved();
    expect(c.metrics()).toMatchObject({ openAnomalies: 0, recoveryRate: 1 });
  });
});
