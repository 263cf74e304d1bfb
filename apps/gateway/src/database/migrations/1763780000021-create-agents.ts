import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Agents and their last reported state; times in epoch milliseconds. */
export class CreateAgents1763780000021 implements MigrationInterface {
  name = 'CreateAgents1763780000021';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'agents',
        columns: [
          { name: 'id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'state', type: 'varchar', length: '10' },
          { name: 'action', type: 'varchar', length: '500' },
          { name: 'last_seen_at_ms', type: 'bigint' },
          { name: 'state_changed_at_ms', type: 'bigint' },
        ],
      }),
    );
    await q.createIndex(
      'agents',
      new TableIndex({ name: 'idx_agents_state_seen', columnNames: ['state', 'last_seen_at_ms'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('agents');
  }
}
