import type { IncomingMessage, Server } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger, type INestApplication } from '@nestjs/common';
import { AbstractWsAdapter } from '@nestjs/websockets';
import { MSGPACK_SUBPROTOCOL } from '@tracklight/protocol';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import { DEFLATE_OPTIONS } from './deflate.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { answerPing } from './ping-responder.js';
import { SessionService } from './session.service.js';
import { isRefusal, UpgradeGate } from './upgrade-gate.js';

/**
 * The gateway's Nest WebSocket adapter. Compared with platform-ws's WsAdapter it:
 * - runs ONE `ws` server in noServer mode behind ONE `upgrade` listener on the HTTP server, for
 *   every endpoint (permessage-deflate only with WS_COMPRESSION=on, the MessagePack subprotocol
 *   when offered, maxPayload from config: larger frames close 1009);
 * - answers an unknown path with a real `HTTP/1.1 404` instead of destroying the socket, and a
 *   disallowed origin (403) or handshake flood (429) the same way, before any upgrade;
 * - authenticates during the upgrade (Nest guards do not run on connect);
 * - replaces the RxJS pipeline per client with one 'message' listener that hands raw frames to
 *   the MessageDispatcher, which answers every bad frame with a contract error.
 */
export class TracklightWsAdapter extends AbstractWsAdapter {
  private readonly logger = new Logger('WsAdapter');
  private server: WebSocketServer | undefined;
  private upgradeListener: ((req: IncomingMessage, socket: Duplex, head: Buffer) => void) | undefined;
  private readonly config: AppConfig;
  private readonly gate: UpgradeGate;
  private readonly dispatcher: MessageDispatcher;
  private readonly metrics: GatewayMetrics;
  /**
   * One listener function each for every client, called with the client as `this`: a closure per
   * client (and its context) would cost heap on every idle connection (S1 in docs/benchmarks.md).
   */
  private readonly onMessage: (this: WebSocket, data: RawData, isBinary: boolean) => void;
  private readonly onClientError: (this: WebSocket, err: Error) => void;
  private readonly onClientClose: (this: WebSocket, code: number) => void;
  /**
   * Every upgraded client until its 'close', for the terminate at shutdown. Kept here rather than
   * by ws (clientTracking), whose tracking adds a 'close' closure to every client.
   */
  private readonly clients = new Set<WebSocket>();

  constructor(private readonly app: INestApplication) {
    super(app);
    this.config = app.get<AppConfig>(APP_CONFIG);
    this.gate = app.get(UpgradeGate);
    this.dispatcher = app.get(MessageDispatcher);
    this.metrics = app.get(GatewayMetrics);
    const dispatcher = this.dispatcher;
    const logger = this.logger;
    this.onMessage = function (this: WebSocket, data: RawData, isBinary: boolean): void {
      dispatcher.dispatch(this, data, isBinary);
    };
    this.onClientError = (err: Error): void => {
      logger.debug?.({ msg: 'client socket error', err: err.message });
    };
    const { metrics, clients } = this;
    const sessions = app.get(SessionService);
    this.onClientClose = function (this: WebSocket, code: number): void {
      if (!clients.delete(this)) return;
      // Every accepted upgrade passes here, refused connections (4401, 4429...) included.
      metrics.closed(code);
      sessions.disconnected(this, code);
    };
  }

  /** Every @WebSocketGateway shares the one server; gateway options (port, path) are ignored. */
  override create(): WebSocketServer {
    if (this.server) return this.server;
    const server = new WebSocketServer({
      noServer: true,
      perMessageDeflate: this.config.ws.compression ? DEFLATE_OPTIONS : false,
      handleProtocols: chooseProtocol,
      maxPayload: this.config.ws.maxPayloadBytes,
      clientTracking: false,
      // Client pings are answered by one shared listener (ping-responder.ts), not a closure each.
      autoPong: false,
    });
    server.on('error', (err) => this.logger.error({ msg: 'ws server error', err: err.message }));
    const http = this.app.getHttpServer() as Server;
    this.upgradeListener = (req, socket, head) => this.onUpgrade(server, req, socket, head);
    http.on('upgrade', this.upgradeListener);
    this.server = server;
    return server;
  }

  private onUpgrade(server: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A shared function, not a closure: this listener stays on the socket for the connection's
    // life, and a closure here would keep `req` (the IncomingMessage, headers, URL with the token)
    // alive with it.
    socket.on('error', destroySocket);
    let result;
    try {
      result = this.gate.check(req);
    } catch (err) {
      this.logger.error({ msg: 'upgrade check failed', err: err instanceof Error ? err.message : String(err) });
      refuse(socket, 500, 'Internal error');
      return;
    }
    if (isRefusal(result)) {
      this.metrics.upgradeRefused(result.status);
      refuse(socket, result.status, result.message, result.headers);
      return;
    }
    server.handleUpgrade(req, socket, head, (ws) => {
      this.bindClient(ws);
      server.emit('connection', ws, req);
    });
  }

  /**
   * The client's listeners, before Nest sees it: one shared function per event, straight to the
   * dispatcher and the session. Nest's prepared handler wrappers are not used (the dispatcher
   * calls the gateway's `@SubscribeMessage` methods itself, message-routes.ts), and neither is its
   * disconnect callback, a closure per client that would stay for the connection's life.
   */
  private bindClient(ws: WebSocket): void {
    presizeListeners(ws);
    this.clients.add(ws);
    ws.on('message', this.onMessage);
    ws.on('error', this.onClientError);
    ws.on('close', this.onClientClose);
    ws.on('ping', answerPing);
  }

  /** Bound in bindClient, once per client, before the 'connection' Nest listens to. */
  override bindMessageHandlers(): void {}

  /** The shared 'close' listener of bindClient hands the close code to SessionService instead. */
  override bindClientDisconnect(): void {}

  override async close(server: WebSocketServer): Promise<void> {
    // Clients still open here did not finish the graceful close (gateway shutdown hook).
    for (const ws of this.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  override dispose(): Promise<void> {
    if (this.upgradeListener) (this.app.getHttpServer() as Server).off('upgrade', this.upgradeListener);
    this.upgradeListener = undefined;
    this.server = undefined;
    return Promise.resolve();
  }
}

/**
 * A plain EventEmitter's listener table is a null-prototype object in dictionary mode (about
 * 256 bytes, more past three event names). Node's own streams start theirs as an ordinary object
 * with the names they use, which V8 keeps with fast properties in a shape shared by every
 * instance: done here for the events a client ever gets, it halves that table (S1 in docs/benchmarks.md).
 */
function presizeListeners(ws: WebSocket): void {
  const emitter = ws as unknown as { _events: object; _eventsCount: number };
  if (emitter._eventsCount !== 0) return;
  emitter._events = { message: undefined, error: undefined, close: undefined, ping: undefined, pong: undefined };
}

/** `tracklight.msgpack.v1` when the client offers it; otherwise no subprotocol (plain JSON). */
function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(MSGPACK_SUBPROTOCOL) ? MSGPACK_SUBPROTOCOL : false;
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

/** A plain HTTP answer on the raw upgrade socket, then the socket ends. */
function refuse(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ statusCode: status, error: STATUS_CODES[status], message });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
