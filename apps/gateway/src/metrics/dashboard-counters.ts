import type { DashboardMetrics, PackageStatus } from '@tracklight/protocol';
import { PACKAGE_STATUSES } from '@tracklight/protocol';
import type { PackageStats } from '../packages/package-view.js';
import { EtaWatch } from './eta-watch.js';

/** Handed to the carrier and moving: not yet picked up (`created`), `exception` and final states are excluded. */
export const IN_TRANSIT_STATUSES: readonly PackageStatus[] = [
  'picked_up',
  'in_transit',
  'at_facility',
  'out_for_delivery',
];

const FINAL: readonly PackageStatus[] = ['delivered', 'returned'];

export interface ActivePackage {
  id: string;
  status: PackageStatus;
  etaMs: number;
}

/** One package_update, reduced to what the figures need. */
export interface PackageChange {
  id: string;
  status: PackageStatus;
  etaMs: number;
  /** Creation to delivery, when the update carries both times. */
  deliveryMs?: number;
}

const HOUR_MS = 3_600_000;
/** Resolved anomaly ids remembered, so a late duplicate `anomaly_detected` does not reopen one. */
const RESOLVED_MEMORY = 10_000;
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The arithmetic of dashboard_metrics, in memory, moved one update at a time (O(log n) at worst):
 * loaded once from storage, then fed every package and anomaly event of the deployment.
 *
 * It remembers the status of each package that is not final and the ids of open anomalies, so an
 * update it has already accounted for (the same status again, an anomaly raised while open, an
 * event that raced with the load) changes nothing.
 *
 * - totalPackages: every package ever created.
 * - inTransit: packages whose current status is one of IN_TRANSIT_STATUSES.
 * - delivered: packages whose current status is `delivered` (a later `returned` leaves this count).
 * - delayed: packages neither delivered nor returned whose estimatedDelivery has passed (exception
 *   included), re-evaluated as the clock moves.
 * - avgDeliveryHours: mean hours from creation to delivery over every package ever delivered.
 * - recoveryRate: resolved anomalies / all anomalies, 0 when there are none.
 */
export class DashboardCounters {
  private total = 0;
  private byStatus = new Map<PackageStatus, number>();
  private readonly active = new Map<string, PackageStatus>();
  private deliveries = 0;
  private deliveryHoursSum = 0;
  private anomalies = 0;
  private readonly openAnomalies = new Set<string>();
  private readonly resolvedAnomalies = new Set<string>();
  private readonly etas = new EtaWatch();

  load(
    stats: PackageStats,
    active: readonly ActivePackage[],
    anomalies: { total: number; openIds: readonly string[] },
    nowMs: number,
  ): void {
    this.total = stats.total;
    this.byStatus = new Map(PACKAGE_STATUSES.map((s) => [s, stats.byStatus[s] ?? 0]));
    this.deliveries = stats.deliveredCount;
    this.deliveryHoursSum = stats.avgDeliveryHours * stats.deliveredCount;
    this.active.clear();
    this.etas.clear();
    for (const p of active) {
      this.active.set(p.id, p.status);
      this.etas.track(p.id, p.etaMs, nowMs);
    }
    this.anomalies = anomalies.total;
    this.openAnomalies.clear();
    for (const id of anomalies.openIds) this.openAnomalies.add(id);
  }

  /** A package_update: a new package (`created`) or a package's new state after a scan. */
  packageUpdated(change: PackageChange, nowMs: number): void {
    const { id, status } = change;
    const previous = this.active.get(id);
    if (previous === undefined) {
      if (status === 'created') {
        this.total += 1;
        this.bump('created', 1);
      } else if (status === 'returned') {
        // Not active, so it was delivered: the only final state a package can leave.
        this.bump('delivered', -1);
        this.bump('returned', 1);
        return;
      } else {
        // Already final here (its update raced with the load) or never seen: nothing to move.
        return;
      }
    } else if (previous !== status) {
      this.bump(previous, -1);
      this.bump(status, 1);
    }
    if (FINAL.includes(status)) {
      this.active.delete(id);
      this.etas.untrack(id);
      if (status === 'delivered' && change.deliveryMs !== undefined) {
        this.deliveries += 1;
        this.deliveryHoursSum += Math.max(0, change.deliveryMs) / HOUR_MS;
      }
    } else {
      this.active.set(id, status);
      this.etas.track(id, change.etaMs, nowMs);
    }
  }

  /** anomaly_detected: counts only the first time an id is seen open (not when it is raised). */
  anomalyDetected(id: string): void {
    if (this.openAnomalies.has(id) || this.resolvedAnomalies.has(id)) return;
    this.openAnomalies.add(id);
    this.anomalies += 1;
  }

  anomalyResolved(id: string): void {
    if (!this.openAnomalies.delete(id)) return;
    this.resolvedAnomalies.add(id);
    // Sets iterate in insertion order: the first is the oldest.
    if (this.resolvedAnomalies.size > RESOLVED_MEMORY) {
      this.resolvedAnomalies.delete(this.resolvedAnomalies.values().next().value!);
    }
  }

  /** Lets the clock make packages late. */
  advance(nowMs: number): void {
    this.etas.advance(nowMs);
  }

  metrics(): DashboardMetrics {
    const resolved = this.anomalies - this.openAnomalies.size;
    return {
      totalPackages: this.total,
      inTransit: IN_TRANSIT_STATUSES.reduce((sum, s) => sum + (this.byStatus.get(s) ?? 0), 0),
      delivered: this.byStatus.get('delivered') ?? 0,
      delayed: this.etas.late,
      openAnomalies: this.openAnomalies.size,
      recoveryRate: this.anomalies ? round(resolved / this.anomalies, 4) : 0,
      avgDeliveryHours: this.deliveries ? round(this.deliveryHoursSum / this.deliveries, 2) : 0,
    };
  }

  private bump(status: PackageStatus, by: number): void {
    this.byStatus.set(status, Math.max(0, (this.byStatus.get(status) ?? 0) + by));
  }
}
