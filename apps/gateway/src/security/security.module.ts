import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { BodyShapeInterceptor } from './body-shape.interceptor.js';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';

/**
 * HTTP rate limits on ingest routes (IngestRateLimitGuard) and the bound on body nesting and
 * prototype keys (BodyShapeInterceptor). Security headers and CORS: bootstrap (http-security.ts).
 */
@Module({
  providers: [
    { provide: APP_GUARD, useClass: IngestRateLimitGuard },
    { provide: APP_INTERCEPTOR, useClass: BodyShapeInterceptor },
  ],
})
export class SecurityModule {}
