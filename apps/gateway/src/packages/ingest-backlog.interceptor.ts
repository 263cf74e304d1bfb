import {
  HttpException,
  HttpStatus,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import { IngestBacklog } from './ingest-backlog.js';

/** Seconds a refused sender should wait: the backlog drains within about that at ingest speed. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Bounds the scans in flight on POST /packages/:tn/scans and POST /scans (after authentication,
 * before validation): a request that would pass INGEST_MAX_PENDING_SCANS gets 429 with Retry-After.
 * Nothing of a refused request was written, so retrying it is safe (and with scanIds, exact).
 */
@Injectable()
export class IngestBacklogInterceptor implements NestInterceptor {
  constructor(private readonly backlog: IngestBacklog) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const body = http.getRequest<Request>().body as { scans?: unknown } | undefined;
    // The envelope is checked later (400); until then a malformed batch counts as one scan.
    const scans = Array.isArray(body?.scans) ? Math.max(1, body.scans.length) : 1;
    if (!this.backlog.tryAdmit(scans)) {
      http.getResponse<Response>().setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new HttpException(
        {
          statusCode: HttpStatus.TOO_MANY_REQUESTS,
          error: 'Too Many Requests',
          message: `Ingest backlog full (${this.backlog.max} scans pending): retry after ${RETRY_AFTER_SECONDS} s`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    return next.handle().pipe(finalize(() => this.backlog.release(scans)));
  }
}
