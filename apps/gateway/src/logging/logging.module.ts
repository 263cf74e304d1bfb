import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/app-config.js';
import { LogFlusher, logDestination } from './log-destination.js';
import { pinoOptions } from './pino-options.js';

/**
 * Structured JSON logs through pino (nestjs-pino): every line carries the instance id; HTTP
 * requests are logged by pino-http with the query string and credentials removed. Nest's Logger
 * is routed here in bootstrap.ts (bufferLogs + useLogger), so `new Logger(ctx).log({ msg, ... })`
 * anywhere becomes one JSON line with those fields. LOG_LEVEL sets the level ('silent' in tests).
 */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const destination = config.logLevel === 'silent' ? undefined : logDestination();
    const options = pinoOptions(config);
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: destination ? [options, destination] : options })],
      providers: [{ provide: LogFlusher, useFactory: () => new LogFlusher(destination) }],
    };
  }
}
