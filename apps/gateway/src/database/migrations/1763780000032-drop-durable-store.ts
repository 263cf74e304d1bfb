import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every table the removed batched durable recorder ever created (its first and second layouts):
 * the event log replaced it and nothing reads them, yet a database it wrote to may hold hours of
 * events there. A database that never had them passes through untouched.
 */
export const DURABLE_STORE_TABLES = [
  'tracklight_durable_events',
  'tracklight_durable_segments',
  'tracklight_durable_events_v2',
  'tracklight_durable_segments_v2',
  'tracklight_durable_topics',
] as const;

export class DropDurableStore1763780000032 implements MigrationInterface {
  name = 'DropDurableStore1763780000032';

  async up(q: QueryRunner): Promise<void> {
    // `true`: only where it exists, so a database the recorder never wrote to starts as before.
    for (const table of DURABLE_STORE_TABLES) await q.dropTable(table, true);
  }

  async down(): Promise<void> {
    // Nothing to bring back: no version that reads these tables can run against this schema.
  }
}
