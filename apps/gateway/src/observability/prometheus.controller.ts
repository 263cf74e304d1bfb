import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';

/** Prometheus exposition at GET /metrics (GET /metrics/dashboard belongs to the metrics module). */
@ApiTags('metrics')
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get()
  @UseGuards(MetricsAccessGuard)
  @ApiOperation({ summary: 'Prometheus exposition (docs/operations.md, Monitoring)' })
  @ApiBearerAuth()
  @ApiProduces('text/plain; version=0.0.4')
  @ApiOkResponse({ description: 'Text exposition format 0.0.4', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'Neither METRICS_TOKEN nor a valid JWT' })
  @ApiForbiddenResponse({ description: 'A valid JWT without the admin role' })
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.registry.metrics();
    res.status(200).type(this.metrics.registry.contentType).send(body);
  }
}
