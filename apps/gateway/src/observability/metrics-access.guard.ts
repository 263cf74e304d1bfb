import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { bearerToken } from '../auth/bearer.js';
import { TokenError } from '../auth/token-error.js';
import { TokenVerifier } from '../auth/token-verifier.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * GET /metrics: Prometheus scrapers hold a static credential, not a JWT that expires, so
 * METRICS_TOKEN (when set) is accepted as a bearer token; an admin JWT always works too.
 * The metrics reveal traffic volume and user activity, so they are never open by default.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly scrapeToken: Buffer | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly verifier: TokenVerifier,
  ) {
    const token = config.observability.metricsToken;
    this.scrapeToken = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    // Comparing fixed-size digests keeps the comparison constant-time whatever the length.
    if (token && this.scrapeToken && timingSafeEqual(digest(token), this.scrapeToken)) return true;
    let roles;
    try {
      roles = this.verifier.verify(token).roles;
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      throw new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', code: err.code, message: err.message });
    }
    if (!roles.includes('admin')) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'Requires METRICS_TOKEN or admin' });
    }
    return true;
  }
}
