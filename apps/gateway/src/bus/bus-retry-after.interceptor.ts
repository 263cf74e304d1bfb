import {
  Injectable,
  ServiceUnavailableException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { catchError, throwError, type Observable } from 'rxjs';
import { setBusRetryAfter } from './bus-available.guard.js';

/** The 503 of a publish refused after the guard passed carries the same Retry-After as the guard's. */
@Injectable()
export class BusRetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => {
        if (err instanceof ServiceUnavailableException) {
          const response = context.switchToHttp().getResponse<Response>();
          if (!response.headersSent) setBusRetryAfter(response);
        }
        return throwError(() => err);
      }),
    );
  }
}
