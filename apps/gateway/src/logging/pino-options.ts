import type { IncomingMessage } from 'node:http';
import { stdTimeFunctions } from 'pino';
import type { Options } from 'pino-http';
import type { AppConfig } from '../config/app-config.js';
import { REDACTED_PATHS, serializeRequest } from './redaction.js';

/** pino / pino-http options for one configuration; shared by the module and its tests. */
export function pinoOptions(config: AppConfig): Options {
  return {
    level: config.logLevel,
    base: { instanceId: config.instanceId, pid: process.pid },
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
    // Load balancer probes would drown everything else.
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' },
  };
}
