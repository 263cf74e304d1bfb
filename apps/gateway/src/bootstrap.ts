import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from './config/app-config.js';
import { AppModule } from './app.module.js';
import { setupOpenApi } from './openapi/openapi.js';
import { applyHttpSecurity } from './security/http-security.js';
import { TracklightWsAdapter } from './gateway/tracklight-ws-adapter.js';
import { tuneGarbageCollector } from './runtime/gc-tuning.js';
import { createValidationPipe } from './validation/failing-fields.js';
import { Logger as PinoNestLogger } from 'nestjs-pino';

/** Builds the configured application without listening, so tests and main share one setup. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  tuneGarbageCollector(config.gcHeapGrowingPercent);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: config.logLevel === 'silent' ? false : undefined,
    bodyParser: false,
    // Held until pino takes over below, so even startup lines are structured JSON.
    bufferLogs: true,
  });
  app.useLogger(app.get(PinoNestLogger));
  applyHttpSecurity(app, config);
  // Bounded bodies: a schedule with 2,000 stops fits; anything far larger is refused with 413.
  app.useBodyParser('json', { limit: '1mb' });
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new TracklightWsAdapter(app));
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
