import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A sender's own id per scan, so a retried scan is recognised instead of applied twice. The unique
 * index, not a read before the write, is what stops two instances on one PostgreSQL from both
 * applying the same scanId; scans without one (NULL) never collide on either backend.
 */
export class AddScanIds1763780000030 implements MigrationInterface {
  name = 'AddScanIds1763780000030';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'package_scans',
      new TableColumn({ name: 'scan_id', type: 'varchar', length: '64', isNullable: true }),
    );
    await q.createIndex(
      'package_scans',
      new TableIndex({ name: 'uq_package_scans_scan_id', columnNames: ['package_id', 'scan_id'], isUnique: true }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('package_scans', 'uq_package_scans_scan_id');
    await q.dropColumn('package_scans', 'scan_id');
  }
}
