import { Module } from '@nestjs/common';
import { AnomaliesModule } from '../anomalies/anomalies.module.js';
import { PackagesModule } from '../packages/packages.module.js';
import { DashboardMetricsService } from './dashboard-metrics.service.js';
import { MetricsController } from './metrics.controller.js';

/** dashboard_metrics: the counters, their publication and snapshot, GET /metrics/dashboard. */
@Module({
  imports: [PackagesModule, AnomaliesModule],
  controllers: [MetricsController],
  providers: [DashboardMetricsService],
})
export class MetricsModule {}
