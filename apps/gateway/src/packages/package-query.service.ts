import { Injectable } from '@nestjs/common';
import { PackageQuery } from './package-query.js';
import type { PackageStats, PackageView, ScanView } from './package-view.js';
import { toPackageView, toScanView } from './storage/package-mapper.js';
import { PackageStore } from './storage/package-store.js';

/** PackageQuery over the store; the aggregates are computed by the database, once, at start. */
@Injectable()
export class StorePackageQuery extends PackageQuery {
  constructor(private readonly store: PackageStore) {
    super();
  }

  async findByTrackingNumber(trackingNumber: string): Promise<PackageView | undefined> {
    const row = await this.store.findByTrackingNumber(trackingNumber);
    return row ? toPackageView(row) : undefined;
  }

  async findActive(): Promise<PackageView[]> {
    return (await this.store.findActive()).map((r) => toPackageView(r));
  }

  async recentScans(packageId: string, limit: number): Promise<ScanView[]> {
    return (await this.store.recentScans(packageId, limit)).map(toScanView);
  }

  async stats(now: Date): Promise<PackageStats> {
    const [byStatus, delayed, deliveries] = await Promise.all([
      this.store.countByStatus(),
      this.store.countDelayed(now.getTime()),
      this.store.deliveryDurations(),
    ]);
    return {
      total: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      delayed,
      avgDeliveryHours: deliveries.count ? deliveries.avgMs / 3_600_000 : 0,
      deliveredCount: deliveries.count,
    };
  }
}
