import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLE = 'tracklight_event_batch';

/**
 * Direct publishes on SQLite (EventLog.publishDirect) as one row per group commit instead of one
 * row per event: `events` holds them all, `topics` their distinct topics between newlines (a read
 * checks it with instr() before parsing anything). A row per event cost three B-tree entries per
 * event, the log's whole cost on S4 (docs/benchmarks.md). PostgreSQL deployments relay every event
 * through tracklight_event_log and never write here, so only SQLite gets the table.
 */
export class CreateEventBatches1763780000033 implements MigrationInterface {
  name = 'CreateEventBatches1763780000033';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    const int = (name: string) => ({ name, type: 'integer' });
    await q.createTable(
      new Table({
        name: TABLE,
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          int('first_ms'),
          int('first_seq'),
          int('last_ms'),
          int('last_seq'),
          { name: 'topics', type: 'text' },
          { name: 'events', type: 'text' },
        ],
      }),
    );
    await q.createIndex(TABLE, new TableIndex({ name: 'idx_event_batch_last', columnNames: ['last_ms', 'last_seq'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') return;
    await q.dropTable(TABLE);
  }
}
