import { DataSource } from 'typeorm';
import { CreateAnomalies1763780000010 } from '../../database/migrations/1763780000010-create-anomalies.js';
import { AcknowledgeAnomalies1763780000011 } from '../../database/migrations/1763780000011-acknowledge-anomalies.js';
import { CreateEventLog1763780000031 } from '../../database/migrations/1763780000031-create-event-log.js';
import { AnomalyEntity } from '../storage/anomaly.entity.js';

/** An in-memory SQLite database with the real anomalies and event-log migrations applied, for specs. */
export async function anomalyTestDb(): Promise<DataSource> {
  const db = new DataSource({
    type: 'better-sqlite3',
    database: ':memory:',
    entities: [AnomalyEntity],
    migrations: [CreateAnomalies1763780000010, AcknowledgeAnomalies1763780000011, CreateEventLog1763780000031],
    migrationsRun: true,
    synchronize: false,
    logging: false,
  });
  return db.initialize();
}
