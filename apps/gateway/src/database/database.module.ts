import { Global, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { HealthService } from '../health/health.service.js';
import { databaseOptions } from './database-options.js';

@Global()
@Module({})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly health: HealthService,
  ) {}

  static forRoot(config: AppConfig): DynamicModule {
    return { module: DatabaseModule, imports: [TypeOrmModule.forRoot(databaseOptions(config))] };
  }

  onModuleInit(): void {
    this.health.register('storage', async () => {
      await this.dataSource.query('SELECT 1');
      return true;
    });
  }
}
