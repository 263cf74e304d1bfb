import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { BadRequestException, ValidationPipe, type INestApplication, type ValidationError } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from './config/app-config.js';
import { AppModule } from './app.module.js';
import { setupOpenApi } from './openapi/openapi.js';
import { applyHttpSecurity } from './security/http-security.js';
import { TracklightWsAdapter } from './gateway/tracklight-ws-adapter.js';
import { tuneGarbageCollector } from './runtime/gc-tuning.js';
import { Logger as PinoNestLogger } from 'nestjs-pino';

/** Flattens nested class-validator errors into `{ field, errors }` rows a client can act on. */
function failingFields(errors: ValidationError[], prefix = ''): { field: string; errors: string[] }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...failingFields(e.children ?? [], field)];
  });
}

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
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: 'Validation failed',
          fields: failingFields(errors),
        }),
    }),
  );
  app.useWebSocketAdapter(new TracklightWsAdapter(app));
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}
