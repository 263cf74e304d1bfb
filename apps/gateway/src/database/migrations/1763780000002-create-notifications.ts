import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Notifications kept so GET /notifications can list recent ones; times in epoch milliseconds. */
export class CreateNotifications1763780000002 implements MigrationInterface {
  name = 'CreateNotifications1763780000002';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'level', type: 'varchar', length: '10' },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'message', type: 'varchar', length: '2000' },
          { name: 'user_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'created_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_created', columnNames: ['created_at_ms', 'id'] }),
    );
    await q.createIndex(
      'notifications',
      new TableIndex({ name: 'idx_notifications_user', columnNames: ['user_id', 'created_at_ms'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('notifications');
  }
}
