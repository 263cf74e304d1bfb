import { Injectable, ServiceUnavailableException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import { EventBus } from './event-bus.js';

/** ioredis retries every 2 s at most, so a client coming back after this finds it reconnected. */
export const BUS_RETRY_AFTER_SECONDS = 2;

export function setBusRetryAfter(response: Response): void {
  response.setHeader('Retry-After', String(BUS_RETRY_AFTER_SECONDS));
}

/**
 * Refuses a write that would publish while the bus is down, before anything is stored: most
 * writes during an outage then leave no state behind that their subscribers never hear about.
 * The rare publish that fails after this check passed is answered 503 by the write itself
 * (UnpublishedWriteError).
 */
@Injectable()
export class BusAvailableGuard implements CanActivate {
  constructor(private readonly bus: EventBus) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.bus.health() === 'ok') return true;
    setBusRetryAfter(context.switchToHttp().getResponse<Response>());
    throw new ServiceUnavailableException({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'event bus unavailable, retry later',
    });
  }
}
