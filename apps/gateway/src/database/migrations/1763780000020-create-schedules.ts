import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Route planning jobs; result and error are JSON text; times in epoch milliseconds. */
export class CreateSchedules1763780000020 implements MigrationInterface {
  name = 'CreateSchedules1763780000020';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'schedules',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner_id', type: 'varchar', length: '200' },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'strategy', type: 'varchar', length: '10' },
          { name: 'status', type: 'varchar', length: '10' },
          { name: 'step', type: 'varchar', length: '20' },
          { name: 'progress', type: 'integer' },
          { name: 'vehicles', type: 'integer' },
          { name: 'stop_count', type: 'integer' },
          { name: 'result', type: 'text', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'instance_id', type: 'varchar', length: '200' },
          { name: 'created_at_ms', type: 'bigint' },
          { name: 'updated_at_ms', type: 'bigint' },
          { name: 'started_at_ms', type: 'bigint', isNullable: true },
          { name: 'finished_at_ms', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await q.createIndex('schedules', new TableIndex({ name: 'idx_schedules_status', columnNames: ['status'] }));
    await q.createIndex(
      'schedules',
      new TableIndex({ name: 'idx_schedules_owner', columnNames: ['owner_id', 'created_at_ms'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('schedules');
  }
}
