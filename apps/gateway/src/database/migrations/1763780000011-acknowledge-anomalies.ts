import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Who took charge of an anomaly, and when (POST /anomalies/:anomalyId/acknowledge). */
export class AcknowledgeAnomalies1763780000011 implements MigrationInterface {
  name = 'AcknowledgeAnomalies1763780000011';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('anomalies', [
      new TableColumn({ name: 'acknowledged_by', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'acknowledged_at_ms', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('anomalies', 'acknowledged_at_ms');
    await q.dropColumn('anomalies', 'acknowledged_by');
  }
}
