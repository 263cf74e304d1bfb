import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { DashboardMetrics } from '@tracklight/protocol';
import { Auth } from '../auth/auth.decorators.js';
import { DashboardMetricsResponse } from './dashboard-metrics-response.dto.js';
import { DashboardMetricsService } from './dashboard-metrics.service.js';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: DashboardMetricsService) {}

  @Get('dashboard')
  @Auth()
  @ApiOperation({ summary: 'The current dashboard_metrics figures (the same object as the event and snapshot)' })
  @ApiOkResponse({ type: DashboardMetricsResponse })
  @ApiUnauthorizedResponse({ description: 'No valid bearer token' })
  dashboard(): DashboardMetrics {
    return this.metrics.current();
  }
}
