import { DataSource } from 'typeorm';
import { CreateAnomalies1763780000010 } from '../../database/migrations/1763780000010-create-anomalies.js';
import { AnomalyEntity } from '../storage/anomaly.entity.js';

/** An in-memory SQLite database with the real anomalies migration applied, for specs. */
export async function anomalyTestDb(): Promise<DataSource> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [AnomalyEntity],
    migrations: [CreateAnomalies1763780000010],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
  return db.initialize();
}
