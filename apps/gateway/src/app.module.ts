import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { BusModule } from './bus/bus.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { SnapshotsModule } from './snapshots/snapshots.module.js';
import { HealthModule } from './health/health.module.js';
import { AuthModule } from './auth/auth.module.js';
import { DatabaseModule } from './database/database.module.js';
import { PackagesModule } from './packages/packages.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { SimulatorModule } from './simulator/simulator.module.js';
import { AnomaliesModule } from './anomalies/anomalies.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { AgentsModule } from './agents/agents.module.js';
import { VehiclesModule } from './vehicles/vehicles.module.js';
import { SystemHealthModule } from './system-health/system-health.module.js';
import { GatewayModule } from './gateway/gateway.module.js';
import { AdminModule } from './admin/admin.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { SecurityModule } from './security/security.module.js';
import { AsyncApiModule } from './asyncapi/asyncapi.module.js';
import { HistoryModule } from './history/history.module.js';

@Module({})
export class AppModule {
  /** The whole application for one validated configuration (main.ts and the e2e tests). */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        BusModule,
        ClusterModule,
        SnapshotsModule,
        HealthModule,
        ObservabilityModule,
        SecurityModule,
        AsyncApiModule,
        AuthModule,
        DatabaseModule.forRoot(config),
        PackagesModule,
        NotificationsModule,
        SimulatorModule.forRoot(config),
        AnomaliesModule,
        MetricsModule,
        SchedulesModule,
        AgentsModule,
        VehiclesModule,
        SystemHealthModule,
        GatewayModule,
        AdminModule,
        DashboardModule,
        HistoryModule,
      ],
    };
  }
}
