import { reconnectAdvice, type ConnectedData, type ErrorData, type ServerFrame } from '@tracklight/protocol';
import { backoffDelay, type BackoffOptions } from '../backoff.js';
import type { Emitter } from '../emitter.js';
import { Heartbeat } from './heartbeat.js';
import { ClientClosedError } from '../errors.js';
import type {
  ClientEvents,
  CloseInfo,
  ConnectionStatus,
  Recovery,
  WebSocketConstructor,
  WebSocketLike,
} from '../types.js';

type Timer = ReturnType<typeof setTimeout>;

const OPEN = 1;

export interface TransportOptions {
  url: string;
  WebSocketImpl: WebSocketConstructor;
  connectTimeoutMs: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  backoff: BackoffOptions;
  random: () => number;
}

/** What the transport needs from the other jobs; the facade wires them. */
export interface TransportHooks {
  token(): Promise<string | undefined>;
  /** False when a 4401/4408 close cannot be healed by asking for a new token. */
  markTokenStale(): boolean;
  onConnected(resuming: boolean): void;
  onFrame(frame: ServerFrame): void;
  /** The socket is gone (timers of other jobs stop with it). */
  onSocketGone(): void;
  /** The socket closed (or was dropped): replies in flight are lost, subscriptions need renewing. */
  onSocketLost(): void;
  onStopped(err: ClientClosedError): void;
  ping(timeoutMs: number): Promise<unknown>;
}

/**
 * The socket lifecycle of one logical connection: opening with the current token, the connect
 * timeout, the app-level heartbeat, and reconnecting with full-jitter back-off by close advice.
 */
export class Transport {
  private ws?: WebSocketLike;
  private statusValue: ConnectionStatus = { state: 'closed' };
  private stopped = true;
  private everConnected = false;
  private failures = 0;
  private lastError?: ErrorData;
  private connectedData?: ConnectedData;
  private timers: { reconnect?: Timer; connect?: Timer } = {};
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly options: TransportOptions,
    private readonly emitter: Emitter<ClientEvents>,
    private readonly hooks: TransportHooks,
  ) {
    this.heartbeat = new Heartbeat(options.pingIntervalMs, options.pingTimeoutMs, (ms) => hooks.ping(ms));
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get isConnected(): boolean {
    return this.statusValue.state === 'open';
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  get connection(): ConnectedData | undefined {
    return this.connectedData;
  }

  /** True when a frame written now reaches the server (the socket may lag the status). */
  get writable(): boolean {
    return this.ws !== undefined && this.ws.readyState === OPEN;
  }

  get hasSocket(): boolean {
    return this.ws !== undefined;
  }

  write(text: string): void {
    this.ws?.send(text);
  }

  /** Keeps an `error` that answered no request: the close that usually follows reports it. */
  noteError(error: ErrorData): void {
    this.lastError = error;
  }

  addRecovery(recovery: Recovery): void {
    if (this.statusValue.state === 'open') this.setStatus({ ...this.statusValue, recovery });
  }

  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failures = 0;
    void this.open();
  }

  reconnectNow(): void {
    if (this.stopped || this.ws || this.statusValue.state !== 'reconnecting') return;
    clearTimeout(this.timers.reconnect);
    void this.open();
  }

  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    const ws = this.detachSocket();
    try {
      ws?.close(1000, 'client closed');
    } catch {
      // Closing a socket that never opened may throw in some implementations; it is gone either way.
    }
    this.stopFor({ code: 1000, reason: 'client closed', advice: 'stop' });
  }

  private async open(): Promise<void> {
    this.timers.reconnect = undefined;
    if (!this.everConnected && this.failures === 0) this.setStatus({ state: 'connecting', attempt: 1 });
    let token: string | undefined;
    try {
      token = await this.hooks.token();
    } catch (err) {
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
      if (!this.stopped) this.scheduleReconnect({ code: 4401, reason: 'getToken failed', advice: 'refresh-token' });
      return;
    }
    if (this.stopped || this.ws) return;
    const url = new URL(this.options.url);
    if (token) url.searchParams.set('token', token);
    let ws: WebSocketLike;
    try {
      ws = new this.options.WebSocketImpl(url.toString());
    } catch (err) {
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
      this.scheduleReconnect({ code: 1006, reason: 'could not open socket', advice: 'reconnect' });
      return;
    }
    this.ws = ws;
    ws.onmessage = (event: { data: unknown }) => {
      if (this.ws === ws) this.onRaw(event.data);
    };
    ws.onclose = (event: { code: number; reason: string }) => {
      if (this.ws === ws) this.onSocketClose(event.code, event.reason);
    };
    // Keep an error listener for the socket's whole life: `ws` throws on an unhandled 'error'.
    ws.onerror = () => undefined;
    this.timers.connect = setTimeout(() => this.dropSocket('connect timeout'), this.options.connectTimeoutMs);
  }

  private onRaw(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      this.emitter.emit('error', new Error('server sent a frame that is not JSON'));
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    if (frame.type !== 'connected') {
      this.hooks.onFrame(frame);
      return;
    }
    this.emitter.emit('message', frame);
    this.onConnected(frame.data);
  }

  private onConnected(data: ConnectedData): void {
    clearTimeout(this.timers.connect);
    const resuming = this.everConnected;
    this.everConnected = true;
    this.failures = 0;
    this.lastError = undefined;
    this.connectedData = data;
    this.setStatus({
      state: 'open',
      connectionId: data.connectionId,
      instanceId: data.instanceId,
      userId: data.userId,
    });
    const ws = this.ws;
    this.heartbeat.start(
      () => this.ws === ws,
      () => this.dropSocket('ping timeout'),
    );
    this.hooks.onConnected(resuming);
  }

  /** Ends the current socket as if the network had dropped it, then reconnects. */
  private dropSocket(reason: string): void {
    const ws = this.detachSocket();
    if (!ws) return;
    try {
      ws.close(4000, reason);
    } catch {
      // Already closing.
    }
    this.onSocketClose(1006, reason);
  }

  private detachSocket(): WebSocketLike | undefined {
    const ws = this.ws;
    this.ws = undefined;
    this.clearTimers();
    if (ws) {
      ws.onmessage = () => undefined;
      ws.onclose = () => undefined;
      ws.onopen = () => undefined;
    }
    return ws;
  }

  private onSocketClose(code: number, reason: string): void {
    this.ws = undefined;
    this.clearTimers();
    this.hooks.onSocketLost();
    if (this.stopped) return;
    const close: CloseInfo = { code, reason, advice: reconnectAdvice(code), error: this.lastError };
    this.lastError = undefined;
    switch (close.advice) {
      case 'stop':
      case 'fix-client':
        this.stopped = true;
        this.stopFor(close);
        return;
      case 'refresh-token':
        if (!this.hooks.markTokenStale()) {
          this.stopped = true;
          this.stopFor(close);
          return;
        }
        break;
      case 'reconnect':
      case 'backoff-long':
        break;
    }
    this.scheduleReconnect(close);
  }

  private scheduleReconnect(close: CloseInfo): void {
    this.failures += 1;
    const delayMs = backoffDelay(this.failures, close.advice, this.options.backoff, this.options.random);
    this.setStatus({ state: 'reconnecting', attempt: this.failures, delayMs, lastClose: close });
    this.timers.reconnect = setTimeout(() => void this.open(), delayMs);
  }

  private stopFor(close: CloseInfo): void {
    this.clearTimers();
    clearTimeout(this.timers.reconnect);
    this.hooks.onStopped(
      new ClientClosedError(`connection closed: ${close.code} ${close.error?.code ?? close.reason}`),
    );
    this.setStatus({ state: 'closed', close });
  }

  private clearTimers(): void {
    clearTimeout(this.timers.connect);
    this.heartbeat.stop();
    this.timers.connect = undefined;
    this.hooks.onSocketGone();
  }

  private setStatus(status: ConnectionStatus): void {
    this.statusValue = status;
    this.emitter.emit('status', status);
  }
}
