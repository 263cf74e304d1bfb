import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Subscription } from 'rxjs';
import type { DashboardMetrics } from '@tracklight/protocol';
import { AnomalyStore } from '../anomalies/storage/anomaly-store.js';
import { EventBus, type BusEvent, type BusEventOf } from '../bus/event-bus.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PackageQuery } from '../packages/package-query.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import { DashboardCounters, type PackageChange } from './dashboard-counters.js';

function packageChange(event: BusEventOf<'package_update'>): PackageChange {
  const { packageId, status, estimatedDelivery, createdAt, deliveredAt } = event.data;
  const change: PackageChange = { id: packageId, status, etaMs: Date.parse(estimatedDelivery) };
  if (typeof createdAt === 'string' && typeof deliveredAt === 'string') {
    change.deliveryMs = Date.parse(deliveredAt) - Date.parse(createdAt);
  }
  return change;
}

/**
 * Owns the dashboard_metrics figures: loaded from storage once at start, then moved by each
 * package and anomaly event (one at a time, never a table scan). It follows the bus rather than
 * this process's domain events because with several gateway instances the bus is the one stream
 * every instance sees in the same order: all instances then hold the same figures.
 *
 * A timer publishes at most once per `metrics.publishMs`, only when a figure changed (which also
 * lets passing ETAs show), and not when another instance already published the same figures.
 */
@Injectable()
export class DashboardMetricsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(DashboardMetricsService.name);
  private readonly counters = new DashboardCounters();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastPublished = '';

  constructor(
    private readonly packages: PackageQuery,
    private readonly anomalies: AnomalyStore,
    private readonly bus: EventBus,
    private readonly snapshots: SnapshotRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // Events that arrive while storage is read are applied after it; the counters ignore what
    // the load already accounted for.
    const early: BusEvent[] = [];
    this.subscription = this.bus.events$.subscribe((e) => early.push(e));
    await this.load();
    this.subscription.unsubscribe();
    this.subscription = this.bus.events$.subscribe((e) => this.apply(e));
    early.forEach((e) => this.apply(e));
    this.snapshots.register('dashboard_metrics', { snapshot: () => Promise.resolve(this.current()) });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.metrics.publishMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
  }

  /** The figures as of now: GET /metrics/dashboard and the snapshot. */
  current(): DashboardMetrics {
    this.counters.advance(Date.now());
    return this.counters.metrics();
  }

  /** Publishes the figures if they changed since the last publication (ours or another instance's). */
  async flush(): Promise<void> {
    const metrics = this.current();
    const serialized = JSON.stringify(metrics);
    if (serialized === this.lastPublished) return;
    this.lastPublished = serialized;
    try {
      await this.bus.publish('dashboard_metrics', 'dashboard_metrics', metrics);
    } catch (err) {
      this.log.error(`could not publish dashboard_metrics: ${String(err)}`);
    }
  }

  private async load(): Promise<void> {
    const now = new Date();
    const [stats, active, counts, open] = await Promise.all([
      this.packages.stats(now),
      this.packages.findActive(),
      this.anomalies.counts(),
      this.anomalies.allOpen(),
    ]);
    this.counters.load(
      stats,
      active.map((p) => ({ id: p.packageId, status: p.status, etaMs: Date.parse(p.estimatedDelivery) })),
      { total: counts.total, openIds: open.map((a) => a.id) },
      now.getTime(),
    );
    this.lastPublished = JSON.stringify(this.counters.metrics());
  }

  private apply(event: BusEvent): void {
    // package_update also travels on package:{trackingNumber}; count it once.
    if (event.type === 'package_update' && event.topic === 'package_updates') {
      this.counters.packageUpdated(packageChange(event), Date.now());
    } else if (event.type === 'anomaly_detected') {
      this.counters.anomalyDetected(event.data.anomalyId);
    } else if (event.type === 'anomaly_resolved') {
      this.counters.anomalyResolved(event.data.anomalyId);
    } else if (event.type === 'dashboard_metrics') {
      this.lastPublished = JSON.stringify(event.data);
    }
  }
}
