import { ServiceUnavailableException } from '@nestjs/common';

/**
 * A REST write that was committed but whose event the bus refused (Redis went away between the
 * BusAvailableGuard check and the publish). It answers 503 rather than 2xx because the caller
 * would otherwise take the live event for delivered; `stored: true` tells it the state change
 * itself happened, so it reads the resource back before retrying (a retried create gets 409).
 */
export class UnpublishedWriteError extends ServiceUnavailableException {
  constructor(what: string) {
    super({
      statusCode: 503,
      error: 'Service Unavailable',
      message: `event bus unavailable, retry later: ${what} was stored but its event was not published`,
      stored: true,
    });
  }
}
