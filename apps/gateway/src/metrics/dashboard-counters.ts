import type { DashboardMetrics, PackageStatus } from '@tracklight/protocol';
import { PACKAGE_STATUSES } from '@tracklight/protocol';
import type { PackageStats } from '../packages/package-view.js';
import { EtaWatch } from './eta-watch.js';

/** Packages handed to the carrier and moving: not yet picked up, in exception, or final are excluded. */
export const IN_TRANSIT_STATUSES: readonly PackageStatus[] = [
  'picked_up',
  'in_transit',
  'at_facility',
  'out_for_delivery',
];

const FINAL: readonly PackageStatus[] = ['delivered', 'returned'];

export interface ActivePackage {
  id: string;
  etaMs: number;
}

export interface AnomalyTotals {
  total: number;
  open: number;
}

const HOUR_MS = 3_600_000;
const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The arithmetic of dashboard_metrics, kept in memory and moved by one event at a time (O(log n)
 * at worst): loaded once from storage, then only told what changed.
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
  private deliveries = 0;
  private deliveryHoursSum = 0;
  private anomalies = 0;
  private openAnomalies = 0;
  private readonly etas = new EtaWatch();

  load(stats: PackageStats, active: readonly ActivePackage[], anomalies: AnomalyTotals, nowMs: number): void {
    this.total = stats.total;
    this.byStatus = new Map(PACKAGE_STATUSES.map((s) => [s, stats.byStatus[s] ?? 0]));
    this.deliveries = stats.deliveredCount;
    this.deliveryHoursSum = stats.avgDeliveryHours * stats.deliveredCount;
    this.anomalies = anomalies.total;
    this.openAnomalies = anomalies.open;
    this.etas.clear();
    for (const p of active) this.etas.track(p.id, p.etaMs, nowMs);
  }

  packageCreated(id: string, status: PackageStatus, etaMs: number, nowMs: number): void {
    this.total += 1;
    this.bump(status, 1);
    if (!FINAL.includes(status)) this.etas.track(id, etaMs, nowMs);
  }

  /** A scan moved a package from `from` to `to`; `deliveryMs` is set when `to` is its first delivery. */
  statusChanged(
    id: string,
    from: PackageStatus,
    to: PackageStatus,
    etaMs: number,
    nowMs: number,
    deliveryMs?: number,
  ): void {
    if (from !== to) {
      this.bump(from, -1);
      this.bump(to, 1);
    }
    if (FINAL.includes(to)) this.etas.untrack(id);
    else this.etas.track(id, etaMs, nowMs);
    if (deliveryMs !== undefined) {
      this.deliveries += 1;
      this.deliveryHoursSum += Math.max(0, deliveryMs) / HOUR_MS;
    }
  }

  anomalyOpened(): void {
    this.anomalies += 1;
    this.openAnomalies += 1;
  }

  anomalyResolved(): void {
    this.openAnomalies = Math.max(0, this.openAnomalies - 1);
  }

  /** Lets the clock make packages late. */
  advance(nowMs: number): void {
    this.etas.advance(nowMs);
  }

  metrics(): DashboardMetrics {
    const resolved = this.anomalies - this.openAnomalies;
    return {
      totalPackages: this.total,
      inTransit: IN_TRANSIT_STATUSES.reduce((sum, s) => sum + (this.byStatus.get(s) ?? 0), 0),
      delivered: this.byStatus.get('delivered') ?? 0,
      delayed: this.etas.late,
      openAnomalies: this.openAnomalies,
      recoveryRate: this.anomalies ? round(resolved / this.anomalies, 4) : 0,
      avgDeliveryHours: this.deliveries ? round(this.deliveryHoursSum / this.deliveries, 2) : 0,
    };
  }

  private bump(status: PackageStatus, by: number): void {
    this.byStatus.set(status, Math.max(0, (this.byStatus.get(status) ?? 0) + by));
  }
}
