import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';

/** Prometheus exposition at GET /metrics (GET /metrics/dashboard belongs to the metrics module). */
@ApiExcludeController()
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get()
  @UseGuards(MetricsAccessGuard)
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.registry.metrics();
    res.status(200).type(this.metrics.registry.contentType).send(body);
  }
}
