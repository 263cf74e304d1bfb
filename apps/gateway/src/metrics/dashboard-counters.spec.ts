import type { PackageStatus } from '@tracklight/protocol';
import type { PackageStats } from '../packages/package-view.js';
import { DashboardCounters } from './dashboard-counters.js';

const H = 3_600_000;
const FAR = 1000 * H;
const empty: PackageStats = { total: 0, byStatus: {}, delayed: 0, avgDeliveryHours: 0, deliveredCount: 0 };

function fresh(): DashboardCounters {
  const c = new DashboardCounters();
  c.load(empty, [], { total: 0, openIds: [] }, 0);
  return c;
}

/** Feeds one package_update. */
const update = (
  c: DashboardCounters,
  id: string,
  status: PackageStatus,
  nowMs: number,
  etaMs = FAR,
  deliveryMs?: number,
) => c.packageUpdated({ id, status, etaMs, deliveryMs }, nowMs);

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
        { id: 'late-1', status: 'in_transit', etaMs: 5 * H },
        { id: 'late-2', status: 'exception', etaMs: 9 * H },
        { id: 'on-time', status: 'created', etaMs: 20 * H },
      ],
      { total: 8, openIds: ['a1', 'a2'] },
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

  it('counts created packages and moves them between statuses; created and exception are not in transit', () => {
    const c = fresh();
    update(c, 'a', 'created', 0);
    update(c, 'b', 'created', 0);
    expect(c.metrics()).toMatchObject({ totalPackages: 2, inTransit: 0 });
    update(c, 'a', 'picked_up', H);
    update(c, 'b', 'in_transit', H);
    expect(c.metrics()).toMatchObject({ totalPackages: 2, inTransit: 2 });
    update(c, 'a', 'exception', 2 * H);
    update(c, 'b', 'at_facility', 2 * H);
    expect(c.metrics()).toMatchObject({ totalPackages: 2, inTransit: 1, delivered: 0 });
  });

  it('ignores an update it already accounted for: the same status again, or a created package it knows', () => {
    const c = fresh();
    update(c, 'a', 'created', 0);
    update(c, 'a', 'created', 0);
    update(c, 'a', 'in_transit', H);
    update(c, 'a', 'in_transit', 2 * H);
    expect(c.metrics()).toMatchObject({ totalPackages: 1, inTransit: 1 });
    update(c, 'a', 'delivered', 3 * H, FAR, 3 * H);
    update(c, 'a', 'delivered', 3 * H, FAR, 3 * H);
    expect(c.metrics()).toMatchObject({ totalPackages: 1, inTransit: 0, delivered: 1, avgDeliveryHours: 3 });
  });

  it('averages hours from creation to delivery; a delivery later returned stays in the average', () => {
    const c = fresh();
    update(c, 'a', 'created', 0);
    update(c, 'b', 'created', 0);
    update(c, 'a', 'delivered', 10 * H, FAR, 10 * H);
    update(c, 'b', 'delivered', 25 * H, FAR, 25 * H);
    expect(c.metrics()).toMatchObject({ delivered: 2, avgDeliveryHours: 17.5 });
    update(c, 'b', 'returned', 30 * H);
    expect(c.metrics()).toMatchObject({ delivered: 1, avgDeliveryHours: 17.5, totalPackages: 2 });
  });

  it('combines a loaded average with new deliveries', () => {
    const c = new DashboardCounters();
    c.load(
      { ...empty, total: 3, byStatus: { delivered: 2, created: 1 }, avgDeliveryHours: 10, deliveredCount: 2 },
      [{ id: 'c', status: 'created', etaMs: FAR }],
      { total: 0, openIds: [] },
      0,
    );
    update(c, 'c', 'delivered', 40 * H, FAR, 40 * H);
    expect(c.metrics()).toMatchObject({ avgDeliveryHours: 20, delivered: 3 });
  });

  it('counts a package delayed when the clock passes its ETA, until it is delivered', () => {
    const c = fresh();
    update(c, 'a', 'created', 0, 5 * H);
    update(c, 'b', 'created', 0, 8 * H);
    c.advance(4 * H);
    expect(c.metrics().delayed).toBe(0);
    c.advance(6 * H);
    expect(c.metrics().delayed).toBe(1);
    update(c, 'a', 'exception', 6 * H, 5 * H);
    expect(c.metrics().delayed).toBe(1); // exception is still not delivered
    c.advance(9 * H);
    expect(c.metrics().delayed).toBe(2);
    update(c, 'a', 'delivered', 10 * H, 5 * H, 10 * H);
    expect(c.metrics().delayed).toBe(1);
  });

  it('keeps openAnomalies and recoveryRate = resolved / all, counting each anomaly once', () => {
    const c = fresh();
    c.anomalyDetected('x');
    c.anomalyDetected('y');
    c.anomalyDetected('z');
    c.anomalyDetected('z'); // raised while open: the same anomaly
    expect(c.metrics()).toMatchObject({ openAnomalies: 3, recoveryRate: 0 });
    c.anomalyResolved('x');
    c.anomalyResolved('x');
    expect(c.metrics()).toMatchObject({ openAnomalies: 2, recoveryRate: 0.3333 });
    c.anomalyDetected('x'); // a late duplicate of a resolved one does not reopen it
    c.anomalyResolved('y');
    c.anomalyResolved('z');
    expect(c.metrics()).toMatchObject({ openAnomalies: 0, recoveryRate: 1 });
  });
});
