import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Vehicles and their latest position; times in epoch milliseconds. Listed in database/migrations. */
export class CreateVehicles1763780000040 implements MigrationInterface {
  name = 'CreateVehicles1763780000040';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'vehicles',
        columns: [
          { name: 'id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'latitude', type: 'double precision' },
          { name: 'longitude', type: 'double precision' },
          { name: 'speed_kmh', type: 'double precision', isNullable: true },
          { name: 'heading', type: 'double precision', isNullable: true },
          { name: 'reported_at_ms', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('vehicles');
  }
}
