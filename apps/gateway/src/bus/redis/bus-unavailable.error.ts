import { ServiceUnavailableException } from '@nestjs/common';

/**
 * Thrown by the Redis bus while Redis is unreachable. It is a Nest HTTP exception on purpose:
 * a REST handler that lets it propagate answers 503, so a write is refused rather than
 * acknowledged and then dropped.
 */
export class BusUnavailableError extends ServiceUnavailableException {
  constructor(reason = 'event bus unavailable: Redis is unreachable') {
    super({ statusCode: 503, error: 'Service Unavailable', message: reason });
  }
}
