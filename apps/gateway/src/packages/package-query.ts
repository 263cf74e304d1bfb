import type { PackageStats, PackageView, ScanView } from './package-view.js';

/** Read access to packages for other feature modules (anomaly sweeps, metric rebuilds). */
export abstract class PackageQuery {
  abstract findByTrackingNumber(trackingNumber: string): Promise<PackageView | undefined>;
  /** Packages that are neither delivered nor returned. */
  abstract findActive(): Promise<PackageView[]>;
  /** Most recent first. */
  abstract recentScans(packageId: string, limit: number): Promise<ScanView[]>;
  abstract stats(now: Date): Promise<PackageStats>;
}
