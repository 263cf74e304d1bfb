import type { ConnectedFrame, ServerFrame } from '@tracklight/protocol';
import type { WebSocketConstructor, WebSocketLike } from '../types.js';
import type { Heartbeat } from './heartbeat.js';
import { NotJsonError, parseServerFrame } from './server-frame.js';
import { closeQuietly, isWritable, openSocket, silence } from './socket.js';

export interface LiveSocketOptions {
  url: string;
  WebSocketImpl: WebSocketConstructor;
  connectTimeoutMs: number;
}

export interface LiveSocketEvents {
  onConnected(frame: ConnectedFrame): void;
  onFrame(frame: ServerFrame): void;
  onError(err: Error): void;
  /** At most once: the server or the network closed it, or a timeout here dropped it. Never after `detach`. */
  onClose(code: number, reason: string): void;
}

/**
 * One socket from opening to its close: the connect timeout until `connected`, then the heartbeat.
 * Once it is detached or closed nothing it does reaches the events, so a late message or close of
 * a socket the transport already replaced cannot be mistaken for the current one's.
 */
export class LiveSocket {
  private readonly ws: WebSocketLike;
  private live = true;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;

  /** Throws what the WebSocket constructor throws. */
  constructor(
    options: LiveSocketOptions,
    token: string | undefined,
    private readonly heartbeat: Heartbeat,
    private readonly events: LiveSocketEvents,
  ) {
    this.ws = openSocket(options.WebSocketImpl, options.url, token, {
      onMessage: (data) => {
        if (this.live) this.onRaw(data);
      },
      onClose: (code, reason) => {
        if (!this.live) return;
        this.end();
        events.onClose(code, reason);
      },
    });
    this.connectTimer = setTimeout(() => this.drop('connect timeout'), options.connectTimeoutMs);
  }

  get writable(): boolean {
    return isWritable(this.ws);
  }

  send(text: string): void {
    this.ws.send(text);
  }

  /** Closes the socket without reporting its close: the caller already knows why it ends. */
  detach(code: number, reason: string): void {
    if (!this.live) return;
    this.end();
    silence(this.ws);
    closeQuietly(this.ws, code, reason);
  }

  /** Ends the socket as if the network had dropped it. */
  private drop(reason: string): void {
    if (!this.live) return;
    this.detach(4000, reason);
    this.events.onClose(1006, reason);
  }

  private end(): void {
    this.live = false;
    clearTimeout(this.connectTimer);
    this.heartbeat.stop();
  }

  private onRaw(raw: unknown): void {
    const frame = parseServerFrame(raw);
    if (frame instanceof NotJsonError) this.events.onError(frame);
    if (!frame || frame instanceof NotJsonError) return;
    if (frame.type !== 'connected') {
      this.events.onFrame(frame);
      return;
    }
    clearTimeout(this.connectTimer);
    // Started before the event: a handler that ends this socket stops the beat it started.
    this.heartbeat.start(
      () => this.live,
      () => this.drop('ping timeout'),
    );
    this.events.onConnected(frame);
  }
}
