import type { EntityManager } from 'typeorm';
import type { PackageEntity } from './package.entity.js';
import type { PackageScanEntity } from './package-scan.entity.js';

/**
 * The two writes of every accepted scan as fixed SQL with bound parameters. TypeORM's query
 * builder inlines numbers into the SQL text on SQLite (`"latitude" = 38.25`), so each scan's
 * INSERT and UPDATE was a new statement: prepared afresh every time, and churning the driver's
 * 100-statement cache so that the hot SELECTs were prepared again too. Fixed text is prepared once.
 */
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
  sqlite: { insertScan: INSERT_SCAN, updatePackage: UPDATE_PACKAGE },
  postgres: { insertScan: forDialect(INSERT_SCAN, true), updatePackage: forDialect(UPDATE_PACKAGE, true) },
};

function runner(m: EntityManager) {
  if (!m.queryRunner) throw new Error('scan writes run inside a transaction');
  return m.queryRunner;
}

const sql = (m: EntityManager) => STATEMENTS[m.connection.options.type === 'postgres' ? 'postgres' : 'sqlite'];

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
