import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloseCode, ErrorCode, type ClientFrame } from '@tracklight/protocol';
import { parseClientFrame } from '@tracklight/protocol/validation';
import type { RawData, WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConnectionRegistry } from './connection-registry.js';

/** A `@SubscribeMessage` handler as Nest prepares it: bound to the client, takes the frame. */
export type FrameHandler = (frame: ClientFrame, type: string) => unknown;

/**
 * One client frame in, at most one contract answer out: rate limit, then parse once, then hand the
 * validated frame to the gateway's `@SubscribeMessage` handler. Handlers of one connection run one
 * after the other, so a subscribe's replay never interleaves with the next unsubscribe.
 */
@Injectable()
export class MessageDispatcher {
  private readonly logger = new Logger('Gateway');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
  ) {}

  dispatch(ws: WebSocket, data: RawData, isBinary: boolean, handlers: ReadonlyMap<string, FrameHandler>): void {
    const conn = this.registry.of(ws);
    if (!conn || conn.closed) return;
    conn.messagesIn += 1;
    conn.lastActivityAt = Date.now();
    this.registry.stats.messagesIn += 1;

    if (!conn.bucket.take()) {
      this.registry.stats.dropped += 1;
      conn.limitedInARow += 1;
      if (conn.limitedInARow >= this.config.ws.floodCloseAfter) {
        this.logger.warn({ msg: 'closing flooding client', connectionId: conn.id, userId: conn.userId });
        conn.close(CloseCode.POLICY_VIOLATION, 'rate limit exceeded');
      } else {
        conn.sendError(ErrorCode.RATE_LIMITED, 'Too many messages: this one was dropped');
      }
      return;
    }
    conn.limitedInARow = 0;

    if (isBinary) {
      conn.sendError(ErrorCode.INVALID_JSON, 'Binary frames are not accepted: send JSON in a text frame');
      return;
    }
    const parsed = parseClientFrame(rawText(data));
    if (!parsed.ok) {
      conn.sendError(parsed.code, parsed.message, { ref: parsed.ref });
      return;
    }
    const frame = parsed.frame;
    const handler = handlers.get(frame.type);
    if (!handler) {
      conn.sendError(ErrorCode.UNKNOWN_TYPE, `Unknown message type "${frame.type}"`, { ref: frame.ref });
      return;
    }
    conn.queue = conn.queue
      .then(() => handler(frame, frame.type))
      .then(
        () => undefined,
        (err: unknown) => {
          this.logger.error({
            msg: 'message handler failed',
            connectionId: conn.id,
            type: frame.type,
            err: err instanceof Error ? err.message : String(err),
          });
        },
      );
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
