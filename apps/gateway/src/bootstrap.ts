import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { AppConfig } from './config/app-config.js';
import { AppModule } from './app.module.js';

/** Builds the configured application without listening, so tests and main share one setup. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: config.logLevel === 'silent' ? false : undefined,
  });
  app.enableShutdownHooks();
  return app;
}
