import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GatewayMetrics } from './gateway-metrics.js';

/** Counts every HTTP answer by status once it is sent (tracklight_http_responses_total). */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: GatewayMetrics) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    res.once('finish', () => this.metrics.httpResponse(res.statusCode));
    next();
  }
}
