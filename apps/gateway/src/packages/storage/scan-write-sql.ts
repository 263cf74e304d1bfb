import type { EntityManager } from 'typeorm';
import type { PackageEntity } from './package.entity.js';
import type { PackageScanEntity } from './package-scan.entity.js';

/**
 * The statements of every scan as fixed SQL with bound parameters: the two reads and two writes. TypeORM's query
 * builder inlines numbers into the SQL text on SQLite (`"latitude" = 38.25`), so each scan's
 * INSERT and UPDATE was a new statement: prepared afresh every time, and churning the driver's
 * 100-statement cache so that the hot SELECTs were prepared again too. Fixed text is prepared once.
 * The reads skip the query builder and the entity transformer too: building and mapping those two
 * SELECTs was about a quarter of a batched scan's CPU (profile of bench S9, docs/benchmarks.md).
 */
const FIND_PACKAGE =
  'SELECT id, tracking_number AS "trackingNumber", carrier, status, status_before_exception AS "statusBeforeException", ' +
  'origin_name AS "originName", origin_latitude AS "originLatitude", origin_longitude AS "originLongitude", ' +
  'destination_name AS "destinationName", destination_latitude AS "destinationLatitude", ' +
  'destination_longitude AS "destinationLongitude", location, latitude, longitude, ' +
  'estimated_delivery_ms AS "estimatedDeliveryMs", last_scan_ms AS "lastScanMs", created_at_ms AS "createdAtMs", ' +
  'delivered_at_ms AS "deliveredAtMs", version FROM packages WHERE tracking_number = ?';
const RECENT_SCANS =
  'SELECT id, package_id AS "packageId", status, location, latitude, longitude, scanned_at_ms AS "scannedAtMs", ' +
  'scan_id AS "scanId", recorded_at_ms AS "recordedAtMs" FROM package_scans WHERE package_id = ? ORDER BY id DESC LIMIT ?';
const INSERT_SCAN =
  'INSERT INTO package_scans (package_id, status, location, latitude, longitude, scanned_at_ms, recorded_at_ms, scan_id) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const UPDATE_PACKAGE =
  'UPDATE packages SET status = ?, status_before_exception = ?, location = ?, latitude = ?, longitude = ?, ' +
  'last_scan_ms = ?, delivered_at_ms = ?, version = ? WHERE id = ? AND version = ?';

/** PostgreSQL numbers its placeholders; SQLite takes `?`. */
function forDialect(sql: string, postgres: boolean): string {
  let n = 0;
  return postgres ? sql.replace(/\?/g, () => `$${++n}`) : sql;
}

const STATEMENTS = {
  sqlite: {
    findPackage: FIND_PACKAGE,
    recentScans: RECENT_SCANS,
    insertScan: INSERT_SCAN,
    updatePackage: UPDATE_PACKAGE,
  },
  postgres: {
    findPackage: forDialect(FIND_PACKAGE, true),
    recentScans: forDialect(RECENT_SCANS, true),
    insertScan: forDialect(INSERT_SCAN, true),
    updatePackage: forDialect(UPDATE_PACKAGE, true),
  },
};

function runner(m: EntityManager) {
  if (!m.queryRunner) throw new Error('scan writes run inside a transaction');
  return m.queryRunner;
}

const sql = (m: EntityManager) => STATEMENTS[m.connection.options.type === 'postgres' ? 'postgres' : 'sqlite'];

/** The package by tracking number, as TypeORM would map it (bigint columns as numbers: `epochMs`). */
export async function findPackage(m: EntityManager, trackingNumber: string): Promise<PackageEntity | undefined> {
  const rows = (await runner(m).query(sql(m).findPackage, [trackingNumber])) as PackageEntity[];
  const row = rows[0];
  if (!row) return undefined;
  row.estimatedDeliveryMs = Number(row.estimatedDeliveryMs);
  row.lastScanMs = Number(row.lastScanMs);
  row.createdAtMs = Number(row.createdAtMs);
  if (row.deliveredAtMs !== null) row.deliveredAtMs = Number(row.deliveredAtMs);
  return row;
}

/** The package's last `limit` scans, most recently recorded first. */
export async function recentScans(m: EntityManager, packageId: string, limit: number): Promise<PackageScanEntity[]> {
  const rows = (await runner(m).query(sql(m).recentScans, [packageId, limit])) as PackageScanEntity[];
  for (const row of rows) {
    row.scannedAtMs = Number(row.scannedAtMs);
    row.recordedAtMs = Number(row.recordedAtMs);
  }
  return rows;
}

export async function insertScan(m: EntityManager, scan: PackageScanEntity): Promise<void> {
  await runner(m).query(sql(m).insertScan, [
    scan.packageId,
    scan.status,
    scan.location,
    scan.latitude,
    scan.longitude,
    scan.scannedAtMs,
    scan.recordedAtMs,
    scan.scanId,
  ]);
}

/** Applies `next` only if the row still has `current.version`; the number of rows changed (0 or 1). */
export async function updatePackage(m: EntityManager, current: PackageEntity, next: PackageEntity): Promise<number> {
  const result = await runner(m).query(
    sql(m).updatePackage,
    [
      next.status,
      next.statusBeforeException,
      next.location,
      next.latitude,
      next.longitude,
      next.lastScanMs,
      next.deliveredAtMs,
      next.version,
      current.id,
      current.version,
    ],
    true,
  );
  return result.affected ?? 0;
}
