import { HttpException, HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { FixedWindowLimiter } from './fixed-window-limiter.js';

const READS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The HTTP rate limit: HTTP_RATE_LIMIT requests per HTTP_RATE_WINDOW_MS, per client address and
 * route, on ingest routes (every write: POST /packages, scans, heartbeats, schedules, dev login,
 * DELETE). Reads stay unlimited: they are the fallback of clients without WebSocket. Off (0) by
 * default, since behind a load balancer without TRUST_PROXY every user shares one address.
 * A global guard, so it runs before authentication: a flood costs no JWT verification.
 *
 * Not @nestjs/throttler: its 6.x build is CommonJS and `require`s @nestjs/common, which Nest 12
 * ships as ESM only; Jest's ESM runtime on Node 20 cannot load that, so no e2e test could run it.
 */
@Injectable()
export class IngestRateLimitGuard implements CanActivate {
  private readonly limiter: FixedWindowLimiter | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { rateLimit, rateWindowMs } = config.http;
    this.limiter = rateLimit > 0 ? new FixedWindowLimiter(rateLimit, rateWindowMs) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (READS.has(req.method)) return true;
    // req.ip honours `trust proxy` (TRUST_PROXY), set in http-security.ts.
    const key = `${req.ip ?? 'unknown'} ${context.getClass().name}.${context.getHandler().name}`;
    const waitMs = this.limiter.hit(key);
    if (waitMs === 0) return true;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    http.getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `Rate limit exceeded: retry after ${seconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
