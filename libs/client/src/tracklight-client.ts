import type {
  AuthenticatedFrame,
  ClientFrame,
  ConnectedData,
  PongFrame,
  ReplyFrame,
  ServerFrame,
  Topic,
} from '@tracklight/protocol';
import { DEFAULT_BACKOFF } from './backoff.js';
import { Transport } from './connection/transport.js';
import { Emitter } from './emitter.js';
import { ServerError } from './errors.js';
import { Requests } from './requests.js';
import type { AnyHandler, SubscribeOptions, Subscription, SubscriptionState } from './subscription.js';
import { Subscriptions } from './subscriptions.js';
import { TokenRefresh } from './token-refresh.js';
import { transportFor } from './transport/select-transport.js';
import type { ClientEvents, ClientOptions, ConnectionStatus, TopicMessage } from './types.js';

/**
 * One logical connection to a Tracklight gateway that survives socket losses: it reconnects with
 * back-off, resubscribes with `since`, drops duplicate events and keeps its token fresh. A facade:
 * each job lives in its own file and this class only wires them together.
 */
export class TracklightClient {
  private readonly emitter = new Emitter<ClientEvents>();
  private readonly transport: Transport;
  private readonly requests: Requests;
  private readonly subscriptions: Subscriptions;
  private readonly tokens: TokenRefresh;

  constructor(options: ClientOptions) {
    this.transport = new Transport(
      {
        url: options.url,
        WebSocketImpl: transportFor(options),
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        pingIntervalMs: options.pingIntervalMs ?? 25_000,
        pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
        backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
        random: options.random ?? Math.random,
      },
      this.emitter,
      {
        token: () => this.tokens.current(),
        markTokenStale: () => this.tokens.markStale(),
        onConnected: (resuming) => {
          this.tokens.schedule();
          this.subscriptions.onConnected(resuming);
          this.requests.flush();
        },
        onFrame: (frame) => this.onFrame(frame),
        onSocketGone: () => this.tokens.cancel(),
        onSocketLost: () => {
          this.subscriptions.onSocketLost();
          this.requests.onSocketLost();
        },
        onStopped: (err) => {
          this.subscriptions.deactivate();
          this.requests.rejectAll(err);
        },
        ping: (timeoutMs) => this.ping(timeoutMs),
      },
    );
    // The links read the status at call time; a getter keeps them from holding a stale copy.
    const transport = this.transport;
    this.requests = new Requests(this.transport, options.requestTimeoutMs ?? 10_000, options.maxQueuedFrames ?? 1000);
    this.subscriptions = new Subscriptions(
      {
        get isConnected() {
          return transport.isConnected;
        },
        request: (frame) => this.requests.request(frame),
        addRecovery: (recovery) => this.transport.addRecovery(recovery),
      },
      this.emitter,
    );
    this.tokens = new TokenRefresh(
      options.token,
      options.getToken,
      options.refreshMarginMs ?? 60_000,
      {
        get isConnected() {
          return transport.isConnected;
        },
        request: (frame) => this.requests.request(frame),
      },
      this.emitter,
    );
    if (options.autoConnect !== false) this.connect();
  }

  get status(): ConnectionStatus {
    return this.transport.status;
  }

  get isConnected(): boolean {
    return this.transport.isConnected;
  }

  /** The `connected` frame of the current (or last) connection. */
  get connection(): ConnectedData | undefined {
    return this.transport.connection;
  }

  /** True while the server has confirmed the topic on the current connection. */
  isTopicActive(topic: string): boolean {
    return this.subscriptions.isActive(topic);
  }

  /** `subscribed` while confirmed, `subscribing` while held but not (yet, or again) confirmed. */
  subscriptionState(topic: string): SubscriptionState {
    return this.subscriptions.state(topic);
  }

  /**
   * Skips the remaining back-off and reconnects at once (a "retry now" button, or a health probe that
   * saw the server answer again). No-op unless waiting to reconnect.
   */
  reconnectNow(): void {
    this.transport.reconnectNow();
  }

  /** The last event id processed on a topic: what a resume sends as `since`. */
  lastEventId(topic: string): string | undefined {
    return this.subscriptions.lastEventId(topic);
  }

  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Starts (or restarts after `close()`) the connection. Idempotent while running. */
  connect(): void {
    this.transport.connect();
  }

  /** Closes for good (1000) until `connect()` is called again; subscriptions are kept for that. */
  close(): void {
    this.transport.close();
  }

  /** Replaces the token used for the next reconnect, and sends it with `auth` when connected. */
  setToken(token: string): Promise<void> {
    return this.tokens.set(token);
  }

  subscribe<T extends Topic>(
    topic: T,
    handler: (message: TopicMessage<T>) => void,
    options: SubscribeOptions = {},
  ): Subscription {
    return this.subscriptions.subscribe(topic, handler, options);
  }

  /** Removes one handler, or all of them; the topic is unsubscribed on the server when none is left. */
  unsubscribe(topic: string, handler?: AnyHandler): void {
    this.subscriptions.unsubscribe(topic, handler);
  }

  /** Topics with at least one handler. */
  subscribedTopics(): string[] {
    return this.subscriptions.held();
  }

  ping(timeoutMs?: number): Promise<PongFrame> {
    return this.requests.request<PongFrame>({ type: 'ping', data: {} }, timeoutMs);
  }

  authenticate(token: string): Promise<AuthenticatedFrame> {
    return this.tokens.authenticate(token);
  }

  /**
   * Sends a client frame and resolves with the reply that echoes its `ref` (an `error` reply rejects
   * with ServerError). While disconnected the frame waits for the next connection; the timeout runs
   * from the call.
   */
  request<R extends ReplyFrame = ReplyFrame>(frame: ClientFrame, timeoutMs?: number): Promise<R> {
    return this.requests.request<R>(frame, timeoutMs);
  }

  /** Sends any frame without waiting for a reply; queued while disconnected. False when dropped. */
  send(frame: ClientFrame): boolean {
    return this.requests.send(frame);
  }

  private onFrame(frame: ServerFrame): void {
    if (!this.requests.settle(frame) && frame.type === 'error') {
      this.transport.noteError(frame.data);
      this.emitter.emit('error', new ServerError(frame.data));
    }
    if (this.subscriptions.route(frame)) this.emitter.emit('message', frame);
  }
}
