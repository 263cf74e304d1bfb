import { Global, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics.js';
import { HttpMetricsMiddleware } from './http-metrics.middleware.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { PrometheusController } from './prometheus.controller.js';

/** Prometheus metrics. Global so the gateway injects GatewayMetrics without importing this module. */
@Global()
@Module({
  controllers: [PrometheusController],
  providers: [GatewayMetrics, MetricsAccessGuard],
  exports: [GatewayMetrics],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
