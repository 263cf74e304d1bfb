import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IngestRateLimitGuard } from './ingest-rate-limit.guard.js';

/** HTTP rate limits on ingest routes (IngestRateLimitGuard); headers and CORS: http-security.ts. */
@Module({
  providers: [{ provide: APP_GUARD, useClass: IngestRateLimitGuard }],
})
export class SecurityModule {}
