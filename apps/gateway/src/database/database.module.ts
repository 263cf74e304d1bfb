import {
  Global,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { HealthService } from '../health/health.service.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import { databaseOptions } from './database-options.js';
import { sqliteConnection } from './sqlite-connection.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { registerWalMetrics } from './wal-metrics.js';

/** About a second of the durable store's writes at the load of docs/benchmarks.md S4: a few MB of WAL per checkpoint. */
const CHECKPOINT_EVERY_MS = 1000;

@Global()
@Module({})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private checkpointer: WalCheckpointer | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthService,
    @Optional() private readonly metrics?: GatewayMetrics,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return { module: DatabaseModule, imports: [TypeOrmModule.forRoot(databaseOptions(config))] };
  }

  onModuleInit(): void {
    this.health.register('storage', async () => {
      await this.dataSource.query('SELECT 1');
      return true;
    });
    const db = sqliteConnection(this.dataSource);
    // A file, not ':memory:', is the only database a second connection can open.
    if (db && db.name !== ':memory:') {
      this.checkpointer = new WalCheckpointer(db, db.name, CHECKPOINT_EVERY_MS);
      if (this.metrics) registerWalMetrics(this.metrics.registry, this.checkpointer);
    }
  }

  /** In either order with TypeORM's own close: the last connection to close checkpoints the WAL itself. */
  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
  }
}
