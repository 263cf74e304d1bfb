import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { BusAvailableGuard } from './bus-available.guard.js';
import { BusRetryAfterInterceptor } from './bus-retry-after.interceptor.js';

/**
 * For REST writes that publish: 503 with Retry-After while the bus is down, instead of a 2xx for
 * a write whose event is lost. Put it above @Auth() so authentication is checked first (guards
 * of the lower decorator run first).
 */
export function RequiresBus(): MethodDecorator {
  return applyDecorators(
    UseGuards(BusAvailableGuard),
    UseInterceptors(BusRetryAfterInterceptor),
    ApiServiceUnavailableResponse({
      description:
        'Event bus unavailable (Redis unreachable); retry after Retry-After. `stored: true` means the write was ' +
        'committed but its event was not published',
    }),
  );
}
