import type { MapUpdate, PackageUpdate } from '@tracklight/protocol';
import type { PackageView, ScanView } from '../package-view.js';
import { iso } from './epoch-ms.js';
import type { PackageEntity } from './package.entity.js';
import type { PackageScanEntity } from './package-scan.entity.js';

export function toPackageView(row: PackageEntity, scans?: PackageScanEntity[]): PackageView {
  const view: PackageView = {
    packageId: row.id,
    trackingNumber: row.trackingNumber,
    status: row.status,
    location: row.location,
    latitude: row.latitude,
    longitude: row.longitude,
    carrier: row.carrier,
    estimatedDelivery: iso(row.estimatedDeliveryMs),
    lastScanTime: iso(row.lastScanMs),
    version: row.version,
    origin: { name: row.originName, latitude: row.originLatitude, longitude: row.originLongitude },
    destination: { name: row.destinationName, latitude: row.destinationLatitude, longitude: row.destinationLongitude },
    createdAt: iso(row.createdAtMs),
  };
  if (row.deliveredAtMs !== null) view.deliveredAt = iso(row.deliveredAtMs);
  if (scans) view.scans = scans.map(toScanView);
  return view;
}

export function toScanView(row: PackageScanEntity): ScanView {
  const view: ScanView = {
    status: row.status,
    location: row.location,
    latitude: row.latitude,
    longitude: row.longitude,
    scannedAt: iso(row.scannedAtMs),
  };
  if (row.scanId) view.scanId = row.scanId;
  return view;
}

/** The wire `package_update`: the package without its scan list, which only the HTTP view carries. */
export function toPackageUpdate(view: PackageView): PackageUpdate {
  const { scans: _scans, ...update } = view;
  return update;
}

export function toMapUpdate(view: PackageView): MapUpdate {
  return {
    packageId: view.packageId,
    trackingNumber: view.trackingNumber,
    latitude: view.latitude,
    longitude: view.longitude,
    status: view.status,
    carrier: view.carrier,
    lastScanTime: view.lastScanTime,
  };
}
