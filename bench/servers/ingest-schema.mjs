// The rows of S9 for the reference contenders: the same tables, columns and unique scan-id index
// as Tracklight's migrations (packages, package_scans), in plain SQL for SQLite and PostgreSQL.
/** @param {'pg' | 'sqlite'} dialect */
export function ingestSchema(dialect) {
  const id = dialect === 'pg' ? 'serial PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  return [
    `CREATE TABLE IF NOT EXISTS packages (
      id varchar(36) PRIMARY KEY, tracking_number varchar(100) NOT NULL UNIQUE, carrier varchar(100) NOT NULL,
      status varchar(20) NOT NULL, status_before_exception varchar(20),
      origin_name varchar(200) NOT NULL, origin_latitude double precision NOT NULL, origin_longitude double precision NOT NULL,
      destination_name varchar(200) NOT NULL, destination_latitude double precision NOT NULL,
      destination_longitude double precision NOT NULL, location varchar(200) NOT NULL,
      latitude double precision NOT NULL, longitude double precision NOT NULL, estimated_delivery_ms bigint NOT NULL,
      last_scan_ms bigint NOT NULL, created_at_ms bigint NOT NULL, delivered_at_ms bigint, version integer NOT NULL DEFAULT 1)`,
    `CREATE TABLE IF NOT EXISTS package_scans (
      id ${id}, package_id varchar(36) NOT NULL REFERENCES packages(id), status varchar(20) NOT NULL,
      location varchar(200) NOT NULL, latitude double precision NOT NULL, longitude double precision NOT NULL,
      scanned_at_ms bigint NOT NULL, recorded_at_ms bigint NOT NULL, scan_id varchar(64))`,
    'CREATE INDEX IF NOT EXISTS idx_package_scans_package ON package_scans (package_id, id)',
    'CREATE UNIQUE INDEX IF NOT EXISTS uq_package_scans_scan_id ON package_scans (package_id, scan_id)',
  ];
}
