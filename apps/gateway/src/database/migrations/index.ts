import type { MigrationInterface } from 'typeorm';
import { CreatePackages1763780000001 } from './1763780000001-create-packages.js';
import { CreateNotifications1763780000002 } from './1763780000002-create-notifications.js';
import { CreateAnomalies1763780000010 } from './1763780000010-create-anomalies.js';
import { AcknowledgeAnomalies1763780000011 } from './1763780000011-acknowledge-anomalies.js';
import { IndexPackagesLastScan1763780000012 } from './1763780000012-index-packages-last-scan.js';
import { CreateSchedules1763780000020 } from './1763780000020-create-schedules.js';
import { CreateAgents1763780000021 } from './1763780000021-create-agents.js';
import { AddScanIds1763780000030 } from './1763780000030-add-scan-ids.js';
import { CreateEventLog1763780000031 } from './1763780000031-create-event-log.js';
import { CreateEventBatches1763780000033 } from './1763780000033-create-event-batches.js';
import { DropDurableStore1763780000032 } from './1763780000032-drop-durable-store.js';
import { CreateVehicles1763780000040 } from '../../vehicles/storage/create-vehicles.migration.js';

/**
 * Every schema change, in order. The same migrations run on SQLite and PostgreSQL, so they are
 * written with TypeORM's portable Table API rather than dialect SQL. Feature modules append theirs.
 */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  CreatePackages1763780000001,
  CreateNotifications1763780000002,
  CreateAnomalies1763780000010,
  AcknowledgeAnomalies1763780000011,
  IndexPackagesLastScan1763780000012,
  CreateSchedules1763780000020,
  CreateAgents1763780000021,
  AddScanIds1763780000030,
  CreateEventLog1763780000031,
  DropDurableStore1763780000032,
  CreateEventBatches1763780000033,
  CreateVehicles1763780000040,
];
