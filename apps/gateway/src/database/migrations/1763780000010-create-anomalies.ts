import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Anomalies, open and resolved. The partial unique index is what guarantees at most one open
 * anomaly per package and type, even with several gateway instances sweeping at once. Times are
 * epoch milliseconds in bigint columns, like the packages tables.
 */
export class CreateAnomalies1763780000010 implements MigrationInterface {
  name = 'CreateAnomalies1763780000010';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'anomalies',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'package_id', type: 'varchar', length: '36' },
          { name: 'tracking_number', type: 'varchar', length: '100' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'severity', type: 'varchar', length: '16' },
          { name: 'description', type: 'text' },
          { name: 'recommended_action', type: 'text' },
          { name: 'confidence_score', type: 'double precision' },
          { name: 'detected_at_ms', type: 'bigint' },
          { name: 'updated_at_ms', type: 'bigint' },
          { name: 'resolved_at_ms', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'anomalies',
      new TableIndex({
        name: 'uq_anomalies_open_package_type',
        columnNames: ['package_id', 'type'],
        isUnique: true,
        where: 'resolved_at_ms IS NULL',
      }),
    );
    await q.createIndex(
      'anomalies',
      new TableIndex({ name: 'idx_anomalies_detected', columnNames: ['detected_at_ms', 'id'] }),
    );
    await q.createIndex('anomalies', new TableIndex({ name: 'idx_anomalies_package', columnNames: ['package_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('anomalies');
  }
}
