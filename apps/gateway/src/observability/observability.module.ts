import { Global, Module } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { PrometheusController } from './prometheus.controller.js';

/** Prometheus metrics. Global so the gateway injects GatewayMetrics without importing this module. */
@Global()
@Module({
  controllers: [PrometheusController],
  providers: [GatewayMetrics, MetricsAccessGuard],
  exports: [GatewayMetrics],
})
export class ObservabilityModule {}
