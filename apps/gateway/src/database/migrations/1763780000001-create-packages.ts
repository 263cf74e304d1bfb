import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Packages and their scan history. Times are epoch milliseconds in bigint columns: both backends
 * compare and average them natively (delayed counts, delivery hours) without date dialects.
 */
export class CreatePackages1763780000001 implements MigrationInterface {
  name = 'CreatePackages1763780000001';

  async up(q: QueryRunner): Promise<void> {
    const place = (prefix: string) => [
      { name: `${prefix}_name`, type: 'varchar', length: '200' },
      { name: `${prefix}_latitude`, type: 'double precision' },
      { name: `${prefix}_longitude`, type: 'double precision' },
    ];
    await q.createTable(
      new Table({
        name: 'packages',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tracking_number', type: 'varchar', length: '100', isUnique: true },
          { name: 'carrier', type: 'varchar', length: '100' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'status_before_exception', type: 'varchar', length: '20', isNullable: true },
          ...place('origin'),
          ...place('destination'),
          { name: 'location', type: 'varchar', length: '200' },
          { name: 'latitude', type: 'double precision' },
          { name: 'longitude', type: 'double precision' },
          { name: 'estimated_delivery_ms', type: 'bigint' },
          { name: 'last_scan_ms', type: 'bigint' },
          { name: 'created_at_ms', type: 'bigint' },
          { name: 'delivered_at_ms', type: 'bigint', isNullable: true },
          { name: 'version', type: 'integer', default: 1 },
        ],
      }),
    );
    await q.createIndex(
      'packages',
      new TableIndex({ name: 'idx_packages_created', columnNames: ['created_at_ms', 'id'] }),
    );
    await q.createIndex(
      'packages',
      new TableIndex({ name: 'idx_packages_status_created', columnNames: ['status', 'created_at_ms', 'id'] }),
    );
    await q.createTable(
      new Table({
        name: 'package_scans',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'package_id', type: 'varchar', length: '36' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'location', type: 'varchar', length: '200' },
          { name: 'latitude', type: 'double precision' },
          { name: 'longitude', type: 'double precision' },
          { name: 'scanned_at_ms', type: 'bigint' },
          { name: 'recorded_at_ms', type: 'bigint' },
        ],
        foreignKeys: [{ columnNames: ['package_id'], referencedTableName: 'packages', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createIndex(
      'package_scans',
      new TableIndex({ name: 'idx_package_scans_package', columnNames: ['package_id', 'id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('package_scans');
    await q.dropTable('packages');
  }
}
