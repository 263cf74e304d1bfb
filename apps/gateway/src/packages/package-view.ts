import type { PackageStatus, PackageUpdate } from '@tracklight/protocol';

export interface Place {
  name: string;
  latitude: number;
  longitude: number;
}

/** A package as the API returns it and as `package:{trackingNumber}` snapshots carry it. */
export interface PackageView extends PackageUpdate {
  origin: Place;
  destination: Place;
  createdAt: string;
  deliveredAt?: string;
  /** Most recent scans first, when requested. */
  scans?: ScanView[];
}

export interface ScanView {
  status: PackageStatus;
  location: string;
  latitude: number;
  longitude: number;
  scannedAt: string;
  /** The sender's idempotency key, when it gave one. */
  scanId?: string;
}

/** Aggregates for dashboard metrics, computed by the database at start. */
export interface PackageStats {
  total: number;
  byStatus: Partial<Record<PackageStatus, number>>;
  /** Not delivered nor returned, and past estimatedDelivery at `now`. */
  delayed: number;
  /** Mean hours from creation to delivery over delivered packages; 0 when none. */
  avgDeliveryHours: number;
  deliveredCount: number;
}
