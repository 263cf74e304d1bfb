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

  /**
   * Frames that arrive between the upgrade and `connected` (admission awaits the cluster-wide
   * user cap), kept so the first frame a client sees is still `connected`. At most a burst.
   */
  private readonly early = new WeakMap<
    WebSocket,
    { frames: [RawData, boolean][]; handlers?: ReadonlyMap<string, FrameHandler> }
  >();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
  ) {}

  private holdFrame(ws: WebSocket, data: RawData, isBinary: boolean, handlers: ReadonlyMap<string, FrameHandler>) {
    const early = this.early.get(ws);
    if (!early) return; // refused connection: its error frame and close are on their way
    early.handlers = handlers;
    if (early.frames.length < this.config.ws.rateLimitBurst) early.frames.push([data, isBinary]);
    else this.registry.stats.dropped += 1;
  }

  /** Marks a socket whose admission is still being decided (cluster-wide user cap). */
  hold(ws: WebSocket): void {
    this.early.set(ws, { frames: [] });
  }

  /** Admission done: frames the client sent before `connected` are handled now, in order. */
  release(ws: WebSocket): void {
    const early = this.early.get(ws);
    this.early.delete(ws);
    if (!early?.handlers) return;
    for (const [data, isBinary] of early.frames) this.dispatch(ws, data, isBinary, early.handlers);
  }

  /** Admission refused: whatever the client sent is forgotten with it. */
  drop(ws: WebSocket): void {
    this.early.delete(ws);
  }

  dispatch(ws: WebSocket, data: RawData, isBinary: boolean, handlers: ReadonlyMap<string, FrameHandler>): void {
    const conn = this.registry.of(ws);
    if (!conn) {
      this.holdFrame(ws, data, isBinary, handlers);
      return;
    }
    if (conn.closed) return;
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
