import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The map_updates snapshot reads packages newest scan first and stops after 5,001 in flight: with
 * this index that is a walk down the index instead of sorting every package on each map open or pan.
 */
export class IndexPackagesLastScan1763780000012 implements MigrationInterface {
  name = 'IndexPackagesLastScan1763780000012';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'packages',
      new TableIndex({ name: 'idx_packages_last_scan', columnNames: ['last_scan_ms', 'id'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('packages', 'idx_packages_last_scan');
  }
}
