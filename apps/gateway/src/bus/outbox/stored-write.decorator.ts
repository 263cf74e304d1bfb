import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { BusRetryAfterInterceptor } from '../bus-retry-after.interceptor.js';

/**
 * For REST writes whose events go through the event log: they commit and answer 2xx while the bus
 * is down (the relay sends the events when it returns), and are refused with 503 and Retry-After,
 * before committing, only when too many events already wait for the bus (EVENT_BACKLOG_MAX).
 */
export function StoredWrite(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(BusRetryAfterInterceptor),
    ApiServiceUnavailableResponse({
      description: 'Too many events wait for the event bus (it is down); nothing was stored, retry after Retry-After',
    }),
  );
}
