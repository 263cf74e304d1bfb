import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The transactional event log (outbox) of the stored topics: written in the same transaction as
 * the change an event describes, relayed onto the bus afterwards (bus_ms/bus_seq = the bus id it
 * got), and read back by resumes and GET /events.
 */
export class CreateEventLog1763780000031 implements MigrationInterface {
  name = 'CreateEventLog1763780000031';

  async up(q: QueryRunner): Promise<void> {
    // SQLite's AUTOINCREMENT needs exactly INTEGER (64-bit there); PostgreSQL's integer is 32-bit.
    const seqType = q.connection.options.type === 'postgres' ? 'bigint' : 'integer';
    await q.createTable(
      new Table({
        name: 'tracklight_event_log',
        columns: [
          { name: 'seq', type: seqType, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'event_key', type: 'varchar', length: '36' },
          { name: 'topic', type: 'varchar', length: '200' },
          { name: 'type', type: 'varchar', length: '50' },
          { name: 'data', type: 'text' },
          { name: 'created_ms', type: 'bigint' },
          { name: 'bus_ms', type: 'bigint', isNullable: true },
          { name: 'bus_seq', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await q.createIndex(
      'tracklight_event_log',
      new TableIndex({ name: 'idx_event_log_bus_id', columnNames: ['bus_ms', 'bus_seq'] }),
    );
    await q.createIndex(
      'tracklight_event_log',
      new TableIndex({ name: 'idx_event_log_topic_bus_id', columnNames: ['topic', 'bus_ms', 'bus_seq'] }),
    );
    // Only the rows still waiting for the relay: stays tiny however long the history is.
    await q.createIndex(
      'tracklight_event_log',
      new TableIndex({ name: 'idx_event_log_unrelayed', columnNames: ['seq'], where: 'bus_ms IS NULL' }),
    );
    // When the log began: it cannot vouch for anything before (a resume from an older id, say of
    // a wiped deployment, gets recovered:false). Ids only grow from here, so this is its epoch.
    await q.createTable(
      new Table({
        name: 'tracklight_event_log_meta',
        columns: [
          { name: 'name', type: 'varchar', length: '50', isPrimary: true },
          { name: 'value', type: 'varchar', length: '200' },
        ],
      }),
    );
    await q.manager
      .createQueryBuilder()
      .insert()
      .into('tracklight_event_log_meta', ['name', 'value'])
      .values({ name: 'started_ms', value: String(Date.now()) })
      .execute();
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('tracklight_event_log_meta');
    await q.dropTable('tracklight_event_log');
  }
}
