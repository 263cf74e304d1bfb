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
import { AnomalyDomainEvents } from '../anomalies/anomaly-domain-events.js';
import { AnomalyStore } from '../anomalies/storage/anomaly-store.js';
import { EventBus } from '../bus/event-bus.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PackageDomainEvents } from '../packages/package-domain-events.js';
import { PackageQuery } from '../packages/package-query.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import { DashboardCounters } from './dashboard-counters.js';

/**
 * Owns the dashboard_metrics figures: loaded from storage once at start, then moved by domain
 * events (one package or anomaly at a time, never a table scan). A timer publishes at most once
 * per `metrics.publishMs`, and only when a figure changed, which also lets passing ETAs show.
 */
@Injectable()
export class DashboardMetricsService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(DashboardMetricsService.name);
  private readonly counters = new DashboardCounters();
  private readonly subscription = new Subscription();
  private timer: NodeJS.Timeout | undefined;
  private lastPublished = '';

  constructor(
    private readonly packages: PackageQuery,
    private readonly packageEvents: PackageDomainEvents,
    private readonly anomalies: AnomalyStore,
    private readonly anomalyEvents: AnomalyDomainEvents,
    private readonly bus: EventBus,
    private readonly snapshots: SnapshotRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Loaded before anything can write (the simulator and HTTP start after every module init). */
  async onModuleInit(): Promise<void> {
    await this.rebuild();
    this.subscribe();
    this.snapshots.register('dashboard_metrics', { snapshot: () => Promise.resolve(this.current()) });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.metrics.publishMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscription.unsubscribe();
  }

  /** The figures as of now: GET /metrics/dashboard and the snapshot. */
  current(): DashboardMetrics {
    this.counters.advance(Date.now());
    return this.counters.metrics();
  }

  /** Reloads every figure from storage. */
  async rebuild(): Promise<void> {
    const now = new Date();
    const [stats, active, anomalyCounts] = await Promise.all([
      this.packages.stats(now),
      this.packages.findActive(),
      this.anomalies.counts(),
    ]);
    const etas = active.map((p) => ({ id: p.packageId, etaMs: Date.parse(p.estimatedDelivery) }));
    this.counters.load(stats, etas, anomalyCounts, now.getTime());
    this.lastPublished = JSON.stringify(this.counters.metrics());
  }

  /** Publishes the figures if they changed since the last publish. */
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

  private subscribe(): void {
    const { created$, scanAccepted$ } = this.packageEvents;
    this.subscription.add(
      created$.subscribe(({ package: p }) =>
        this.counters.packageCreated(p.packageId, p.status, Date.parse(p.estimatedDelivery), Date.now()),
      ),
    );
    this.subscription.add(
      scanAccepted$.subscribe(({ package: p, previousStatus }) => {
        const firstDelivery = p.status === 'delivered' && previousStatus !== 'delivered' && p.deliveredAt;
        const deliveryMs = firstDelivery ? Date.parse(p.deliveredAt!) - Date.parse(p.createdAt) : undefined;
        this.counters.statusChanged(
          p.packageId,
          previousStatus,
          p.status,
          Date.parse(p.estimatedDelivery),
          Date.now(),
          deliveryMs,
        );
      }),
    );
    this.subscription.add(this.anomalyEvents.opened$.subscribe(() => this.counters.anomalyOpened()));
    this.subscription.add(this.anomalyEvents.resolved$.subscribe(() => this.counters.anomalyResolved()));
  }
}
