import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DashboardMetrics } from '@tracklight/protocol';
import { Auth } from '../auth/auth.decorators.js';
import { DashboardMetricsService } from './dashboard-metrics.service.js';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: DashboardMetricsService) {}

  /** The same object as the dashboard_metrics event and snapshot. */
  @Get('dashboard')
  @Auth()
  dashboard(): DashboardMetrics {
    return this.metrics.current();
  }
}
