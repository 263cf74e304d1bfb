import type { DashboardMetrics } from '@tracklight/protocol';
import type { AnomalyStore } from '../anomalies/storage/anomaly-store.js';
import type { BusEvent } from '../bus/event-bus.js';
import { InMemoryEventBus } from '../bus/in-memory-event-bus.js';
import { loadConfig } from '../config/load-config.js';
import { PackageQuery } from '../packages/package-query.js';
import type { PackageStats, PackageView } from '../packages/package-view.js';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import { packageView } from '../../../../test/fixtures/anomalies/package-fixture.js';
import { DashboardMetricsService } from './dashboard-metrics.service.js';

class StoredPackages extends PackageQuery {
  constructor(
    private readonly active: PackageView[],
    private readonly aggregate: PackageStats,
  ) {
    super();
  }
  findByTrackingNumber() {
    return Promise.resolve(undefined);
  }
  findActive() {
    return Promise.resolve(this.active);
  }
  recentScans() {
    return Promise.resolve([]);
  }
  stats() {
    return Promise.resolve(this.aggregate);
  }
}

const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'x'.repeat(40) });
const future = new Date(Date.now() + 86_400_000).toISOString();

describe('DashboardMetricsService (real in-process bus and snapshot registry)', () => {
  let bus: InMemoryEventBus;
  let registry: SnapshotRegistry;
  let service: DashboardMetricsService;
  let published: BusEvent[];

  beforeEach(async () => {
    bus = new InMemoryEventBus(config);
    registry = new SnapshotRegistry();
    const stored = packageView({ packageId: 'stored', status: 'in_transit', estimatedDelivery: future });
    const packages = new StoredPackages([stored], {
      total: 3,
      byStatus: { in_transit: 1, delivered: 2 },
      delayed: 0,
      avgDeliveryHours: 12,
      deliveredCount: 2,
    });
    const anomalies = {
      counts: () => Promise.resolve({ total: 2, open: 1 }),
      allOpen: () => Promise.resolve([{ id: 'open-1' }]),
    } as unknown as AnomalyStore;
    service = new DashboardMetricsService(packages, anomalies, bus, registry, config);
    await service.onModuleInit();
    published = [];
    bus.events$.subscribe((e) => {
      if (e.type === 'dashboard_metrics') published.push(e);
    });
  });

  afterEach(() => service.onModuleDestroy());

  const expectedStart: DashboardMetrics = {
    totalPackages: 3,
    inTransit: 1,
    delivered: 2,
    delayed: 0,
    openAnomalies: 1,
    recoveryRate: 0.5,
    avgDeliveryHours: 12,
  };

  it('starts from storage and serves the same object as the dashboard_metrics snapshot', async () => {
    expect(service.current()).toEqual(expectedStart);
    expect(await registry.snapshot('dashboard_metrics')).toEqual(expectedStart);
  });

  it('publishes only when a figure changed, once for many changes', async () => {
    await service.flush();
    expect(published).toHaveLength(0);

    for (const id of ['a', 'b', 'c']) {
      const view = packageView({ packageId: id, status: 'created', estimatedDelivery: future });
      await bus.publish('package_updates', 'package_update', view);
      await bus.publish(`package:${view.trackingNumber}`, 'package_update', view); // counted once
    }
    await service.flush();
    await service.flush();
    expect(published.map((e) => e.data)).toEqual([{ ...expectedStart, totalPackages: 6 }]);
  });

  it('follows scans and anomalies from the bus, counting an anomaly raised while open once', async () => {
    const stored = packageView({ packageId: 'stored', status: 'delivered', estimatedDelivery: future });
    const delivered = { ...stored, createdAt: '2026-01-01T00:00:00.000Z', deliveredAt: '2026-01-01T06:00:00.000Z' };
    await bus.publish('package_updates', 'package_update', delivered);
    const anomaly = {
      anomalyId: 'new-1',
      packageId: 'p',
      trackingNumber: 'T',
      anomalyType: 'stuck_package',
      severity: 'medium' as const,
      description: 'd',
      recommendedAction: 'a',
      confidenceScore: 0.5,
      detectedAt: new Date().toISOString(),
    };
    await bus.publish('anomalies', 'anomaly_detected', anomaly);
    await bus.publish('anomalies', 'anomaly_detected', { ...anomaly, severity: 'high' });
    await bus.publish('anomalies', 'anomaly_resolved', { anomalyId: 'open-1' } as typeof anomaly);
    expect(service.current()).toEqual({
      totalPackages: 3,
      inTransit: 0,
      delivered: 3,
      delayed: 0,
      openAnomalies: 1,
      recoveryRate: 0.6667,
      avgDeliveryHours: 10, // (12 + 12 + 6) / 3
    });
  });

  it('does not publish figures another instance already published', async () => {
    const view = packageView({ packageId: 'a', status: 'created', estimatedDelivery: future });
    await bus.publish('package_updates', 'package_update', view);
    const figures = { ...expectedStart, totalPackages: 4 };
    await bus.publish('dashboard_metrics', 'dashboard_metrics', figures); // as if from another instance
    published = [];
    await service.flush();
    expect(published).toHaveLength(0);
    expect(service.current()).toEqual(figures);
  });
});
