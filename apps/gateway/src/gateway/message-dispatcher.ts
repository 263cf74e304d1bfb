import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloseCode, ErrorCode, MAX_REF_LENGTH } from '@tracklight/protocol';
import type { ParseResult } from '@tracklight/protocol/validation';
import type { RawData, WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import { ConnectionRegistry } from './connection-registry.js';
import { parseFrame, parseObjectFrame } from './fast-frame.js';
import { unpackValue } from './msgpack.js';
import type { MessageRoute } from './message-routes.js';

/**
 * One client frame in, at most one contract answer out: rate limit, then parse once, then the
 * gateway's `@SubscribeMessage` method for that type (routes set by RealtimeGateway). Handlers of
 * one connection run one after the other (Connection.run), so a subscribe's replay never
 * interleaves with the next unsubscribe.
 */
@Injectable()
export class MessageDispatcher {
  private readonly logger = new Logger('Gateway');
  private routes: ReadonlyMap<string, MessageRoute> = new Map();

  /**
   * Frames that arrive between the upgrade and `connected` (admission awaits the cluster-wide
   * user cap), kept so the first frame a client sees is still `connected`.
   */
  private readonly early = new WeakMap<WebSocket, [RawData, boolean][]>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
    private readonly metrics: GatewayMetrics,
  ) {}

  setRoutes(routes: ReadonlyMap<string, MessageRoute>): void {
    this.routes = routes;
  }

  /** Marks a socket whose admission is still being decided (cluster-wide user cap). */
  hold(ws: WebSocket): void {
    this.early.set(ws, []);
  }

  /** Admission done: frames the client sent before `connected` are handled now, in order. */
  release(ws: WebSocket): void {
    const frames = this.early.get(ws);
    this.early.delete(ws);
    if (frames) for (const [data, isBinary] of frames) this.dispatch(ws, data, isBinary);
  }

  /** Admission refused: whatever the client sent is forgotten with it. */
  drop(ws: WebSocket): void {
    this.early.delete(ws);
  }

  dispatch(ws: WebSocket, data: RawData, isBinary: boolean): void {
    const conn = this.registry.of(ws);
    if (!conn) {
      // Refused connections have no entry: their error frame and close are on their way.
      // Kept up to what the rate limit lets through plus what it takes to trip the flood close:
      // replayed after `connected`, the excess then gets RATE_LIMITED and then 1008, as it would
      // have on an admitted connection. Beyond that bound the client is flooding anyway.
      const early = this.early.get(ws);
      const { rateLimitBurst, floodCloseAfter } = this.config.ws;
      if (early && early.length < rateLimitBurst + floodCloseAfter) early.push([data, isBinary]);
      else if (early) this.metrics.rateLimited += 1;
      return;
    }
    if (conn.closed) return;
    conn.messagesIn += 1;
    conn.lastActivityAt = Date.now();
    this.registry.stats.messagesIn += 1;

    if (!conn.takeToken()) {
      this.metrics.rateLimited += 1;
      conn.limitedInARow += 1;
      if (conn.limitedInARow >= this.config.ws.floodCloseAfter) {
        this.logger.warn({ msg: 'closing flooding client', connectionId: conn.id, userId: conn.userId });
        conn.close(CloseCode.POLICY_VIOLATION, 'rate limit exceeded');
      } else {
        // The ref lets a client fail that one request at once instead of waiting for a reply.
        const ref = isBinary ? undefined : refOf(data);
        conn.sendError(ErrorCode.RATE_LIMITED, 'Too many messages: this one was dropped', { ref });
      }
      return;
    }
    conn.limitedInARow = 0;

    if (!isBinary && isTextPing(data)) {
      // Generic libraries' built-in heartbeats (react-use-websocket) send the bare text and
      // match only the bare answer; it has no JSON shape to validate.
      conn.sendText('pong', true);
      return;
    }
    let parsed: ParseResult;
    if (conn.msgpack) {
      if (!isBinary) {
        conn.sendError(ErrorCode.INVALID_MESSAGE, 'Text frames are not accepted on a MessagePack connection');
        return;
      }
      parsed = parsePacked(data);
    } else if (isBinary) {
      conn.sendError(ErrorCode.INVALID_JSON, 'Binary frames are not accepted: send JSON in a text frame');
      return;
    } else {
      parsed = parseFrame(rawText(data));
    }
    if (!parsed.ok) {
      conn.sendError(parsed.code, parsed.message, { ref: parsed.ref });
      return;
    }
    const frame = parsed.frame;
    const route = this.routes.get(frame.type);
    if (!route) {
      conn.sendError(ErrorCode.UNKNOWN_TYPE, `Unknown message type "${frame.type}"`, { ref: frame.ref });
      return;
    }
    conn.run(
      () => route(ws, frame),
      (err) =>
        this.logger.error({
          msg: 'message handler failed',
          connectionId: conn.id,
          type: frame.type,
          err: err instanceof Error ? err.message : String(err),
        }),
    );
  }
}

/**
 * The `ref` of a dropped message, when it has a valid one. Parsing a dropped frame costs little:
 * at most floodCloseAfter of them in a row before the connection is closed.
 */
function refOf(data: RawData): string | undefined {
  try {
    const raw: unknown = JSON.parse(rawText(data));
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
    const ref = (raw as { ref?: unknown }).ref;
    return typeof ref === 'string' && ref.length <= MAX_REF_LENGTH ? ref : undefined;
  } catch {
    return undefined;
  }
}

/** A MessagePack client's frame: bytes that are not one MessagePack value are INVALID_JSON's twin. */
function parsePacked(data: RawData): ParseResult {
  let raw: unknown;
  try {
    raw = unpackValue(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
  } catch {
    return { ok: false, code: ErrorCode.INVALID_JSON, message: 'Frame is not valid MessagePack' };
  }
  return parseObjectFrame(raw);
}

const TEXT_PING = Buffer.from('ping');

/** A text frame holding exactly `ping` (docs/PROTOCOL.md section 3), checked without decoding it. */
function isTextPing(data: RawData): boolean {
  return Buffer.isBuffer(data) ? data.length === 4 && data.equals(TEXT_PING) : rawText(data) === 'ping';
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
