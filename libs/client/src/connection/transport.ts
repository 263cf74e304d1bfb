import {
  reconnectAdvice,
  type ConnectedData,
  type ConnectedFrame,
  type ErrorData,
  type ServerFrame,
} from '@tracklight/protocol';
import type { BackoffOptions } from '../backoff.js';
import type { Emitter } from '../emitter.js';
import { ClientClosedError } from '../errors.js';
import type { ClientEvents, CloseInfo, ConnectionStatus, Recovery, WebSocketConstructor } from '../types.js';
import { Heartbeat } from './heartbeat.js';
import { LiveSocket } from './live-socket.js';
import { closeIsFinal, Reconnector } from './reconnect.js';

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

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/**
 * One logical connection over successive sockets: its status, opening each socket with the
 * current token, and after a close either reconnecting (Reconnector's back-off) or stopping, as
 * the close's advice says. One socket's own life (timeouts, heartbeat, frames) is a LiveSocket.
 */
export class Transport {
  private socket?: LiveSocket;
  private statusValue: ConnectionStatus = { state: 'closed' };
  private stopped = true;
  private everConnected = false;
  private lastError?: ErrorData;
  private connectedData?: ConnectedData;
  private readonly heartbeat: Heartbeat;
  private readonly reconnector: Reconnector;

  constructor(
    private readonly options: TransportOptions,
    private readonly emitter: Emitter<ClientEvents>,
    private readonly hooks: TransportHooks,
  ) {
    this.heartbeat = new Heartbeat(options.pingIntervalMs, options.pingTimeoutMs, (ms) => hooks.ping(ms));
    this.reconnector = new Reconnector(options.backoff, options.random);
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
    return this.socket?.writable ?? false;
  }

  get hasSocket(): boolean {
    return this.socket !== undefined;
  }

  write(text: string): void {
    this.socket?.send(text);
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
    this.reconnector.succeeded();
    void this.open();
  }

  reconnectNow(): void {
    if (this.stopped || this.socket || this.statusValue.state !== 'reconnecting') return;
    this.reconnector.cancel();
    void this.open();
  }

  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.socket?.detach(1000, 'client closed');
    this.socket = undefined;
    this.stopFor({ code: 1000, reason: 'client closed', advice: 'stop' });
  }

  private async open(): Promise<void> {
    if (!this.everConnected && this.reconnector.fresh) this.setStatus({ state: 'connecting', attempt: 1 });
    let token: string | undefined;
    try {
      token = await this.hooks.token();
    } catch (err) {
      this.emitter.emit('error', asError(err));
      if (!this.stopped) this.scheduleReconnect({ code: 4401, reason: 'getToken failed', advice: 'refresh-token' });
      return;
    }
    if (this.stopped || this.socket) return;
    try {
      // A LiveSocket reports nothing once detached, so its events are always the current socket's.
      this.socket = new LiveSocket(this.options, token, this.heartbeat, {
        onConnected: (frame) => this.onConnected(frame),
        onFrame: (frame) => this.hooks.onFrame(frame),
        onError: (err) => this.emitter.emit('error', err),
        onClose: (code, reason) => this.onSocketClose(code, reason),
      });
    } catch (err) {
      this.emitter.emit('error', asError(err));
      this.scheduleReconnect({ code: 1006, reason: 'could not open socket', advice: 'reconnect' });
    }
  }

  private onConnected(frame: ConnectedFrame): void {
    this.emitter.emit('message', frame);
    const resuming = this.everConnected;
    this.everConnected = true;
    this.reconnector.succeeded();
    this.lastError = undefined;
    this.connectedData = frame.data;
    const { connectionId, instanceId, userId } = frame.data;
    this.setStatus({ state: 'open', connectionId, instanceId, userId });
    this.hooks.onConnected(resuming);
  }

  private onSocketClose(code: number, reason: string): void {
    this.socket = undefined;
    this.hooks.onSocketGone();
    this.hooks.onSocketLost();
    if (this.stopped) return;
    const close: CloseInfo = { code, reason, advice: reconnectAdvice(code), error: this.lastError };
    this.lastError = undefined;
    if (closeIsFinal(close, () => this.hooks.markTokenStale())) {
      this.stopped = true;
      this.stopFor(close);
      return;
    }
    this.scheduleReconnect(close);
  }

  private scheduleReconnect(close: CloseInfo): void {
    this.setStatus(this.reconnector.schedule(close, () => void this.open()));
  }

  private stopFor(close: CloseInfo): void {
    this.reconnector.cancel();
    this.hooks.onSocketGone();
    this.hooks.onStopped(
      new ClientClosedError(`connection closed: ${close.code} ${close.error?.code ?? close.reason}`),
    );
    this.setStatus({ state: 'closed', close });
  }

  private setStatus(status: ConnectionStatus): void {
    this.statusValue = status;
    this.emitter.emit('status', status);
  }
}
