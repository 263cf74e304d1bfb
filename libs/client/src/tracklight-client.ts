import {
  compareEventIds,
  isEventId,
  MAX_TOPICS_PER_REQUEST,
  reconnectAdvice,
  type AuthenticatedFrame,
  type ClientFrame,
  type ConnectedData,
  type ErrorData,
  type PongFrame,
  type ReplyFrame,
  type ServerFrame,
  type SubscribedFrame,
  type SubscriptionFilter,
  type Topic,
  type UnsubscribedFrame,
} from '@tracklight/protocol';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { ClientClosedError, RequestTimeoutError, ServerError } from './errors.js';
import { refreshDelay, tokenTimes } from './jwt.js';
import { transportFor } from './transport/select-transport.js';
import type {
  ClientEvents,
  ClientOptions,
  CloseInfo,
  ConnectionStatus,
  Recovery,
  TopicMessage,
  WebSocketConstructor,
  WebSocketLike,
} from './types.js';

export interface SubscribeOptions {
  filter?: SubscriptionFilter;
}

export interface Subscription {
  readonly topic: string;
  /** Settles with the first `subscribed` reply (or the `error` that refused the topic). */
  readonly ready: Promise<void>;
  unsubscribe(): void;
}

type AnyHandler = (message: never) => void;

interface TopicEntry {
  handlers: Set<AnyHandler>;
  filter?: SubscriptionFilter;
  /** Confirmed by the server on the current connection. */
  active: boolean;
  /** Was confirmed on some connection, so a reconnect must resume it rather than start fresh. */
  everActive: boolean;
  ready: Promise<void>;
  settle: (err?: Error) => void;
  /** For topics with snapshots: the latest snapshot and the events since, replayed to late handlers. */
  state: ServerFrame[];
}

interface PendingRequest {
  frame: ClientFrame & { ref: string };
  sent: boolean;
  timer: ReturnType<typeof setTimeout>;
  resolve: (frame: ServerFrame) => void;
  reject: (err: Error) => void;
}

type Timer = ReturnType<typeof setTimeout>;

const OPEN = 1;
const MAX_TIMEOUT = 2 ** 31 - 1;
const MAX_CACHED_STATE = 500;

/**
 * One logical connection to a Tracklight gateway that survives socket losses: it reconnects with
 * back-off, resubscribes with `since`, drops duplicate events and keeps its token fresh.
 */
export class TracklightClient {
  private readonly options: Required<
    Pick<
      ClientOptions,
      | 'requestTimeoutMs'
      | 'connectTimeoutMs'
      | 'pingIntervalMs'
      | 'pingTimeoutMs'
      | 'refreshMarginMs'
      | 'maxQueuedFrames'
      | 'random'
    >
  > & { backoff: BackoffOptions };
  private readonly url: string;
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly getToken?: () => string | Promise<string>;
  private readonly emitter = new Emitter<ClientEvents>();
  private readonly topics = new Map<string, TopicEntry>();
  private readonly lastIds = new Map<string, string>();
  private readonly pending = new Map<string, PendingRequest>();
  private queue: string[] = [];
  private ws?: WebSocketLike;
  private statusValue: ConnectionStatus = { state: 'closed' };
  private stopped = true;
  private everConnected = false;
  private failures = 0;
  private refSeq = 0;
  private token?: string;
  private tokenStale = false;
  private lastError?: ErrorData;
  private newestId?: string;
  private connectedData?: ConnectedData;
  private resumeState?: { outstanding: number; gapTopics: Set<string> };
  private timers: { reconnect?: Timer; connect?: Timer; ping?: Timer; refresh?: Timer } = {};

  constructor(options: ClientOptions) {
    this.url = options.url;
    this.token = options.token;
    this.getToken = options.getToken;
    this.WebSocketImpl = transportFor(options);
    this.options = {
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      pingIntervalMs: options.pingIntervalMs ?? 25_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
      refreshMarginMs: options.refreshMarginMs ?? 60_000,
      maxQueuedFrames: options.maxQueuedFrames ?? 1000,
      random: options.random ?? Math.random,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    };
    if (options.autoConnect !== false) this.connect();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get isConnected(): boolean {
    return this.statusValue.state === 'open';
  }

  /** The `connected` frame of the current (or last) connection. */
  get connection(): ConnectedData | undefined {
    return this.connectedData;
  }

  /** True while the server has confirmed the topic on the current connection. */
  isTopicActive(topic: string): boolean {
    return this.topics.get(topic)?.active === true;
  }

  /**
   * Skips the remaining back-off and reconnects at once (a "retry now" button, or a health probe that
   * saw the server answer again). No-op unless waiting to reconnect.
   */
  reconnectNow(): void {
    if (this.stopped || this.ws || this.statusValue.state !== 'reconnecting') return;
    clearTimeout(this.timers.reconnect);
    void this.open();
  }

  /** The last event id processed on a topic: what a resume sends as `since`. */
  lastEventId(topic: string): string | undefined {
    return this.lastIds.get(topic);
  }

  on<K extends keyof ClientEvents>(event: K, listener: (value: ClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Starts (or restarts after `close()`) the connection. Idempotent while running. */
  connect(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.failures = 0;
    void this.open();
  }

  /** Closes for good (1000) until `connect()` is called again; subscriptions are kept for that. */
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

  /** Replaces the token used for the next reconnect, and sends it with `auth` when connected. */
  async setToken(token: string): Promise<void> {
    this.token = token;
    this.tokenStale = false;
    if (this.isConnected) await this.authenticate(token);
  }

  subscribe<T extends Topic>(
    topic: T,
    handler: (message: TopicMessage<T>) => void,
    options: SubscribeOptions = {},
  ): Subscription {
    let entry = this.topics.get(topic);
    const filterChanged = entry !== undefined && JSON.stringify(entry.filter) !== JSON.stringify(options.filter);
    if (!entry) {
      let settle!: (err?: Error) => void;
      const ready = new Promise<void>((resolve, reject) => {
        settle = (err) => (err ? reject(err) : resolve());
      });
      // Callers that never await `ready` must not see an unhandled rejection.
      ready.catch(() => undefined);
      entry = {
        handlers: new Set(),
        filter: options.filter,
        active: false,
        everActive: false,
        ready,
        settle,
        state: [],
      };
      this.topics.set(topic, entry);
      if (this.isConnected) this.subscribeGroup([topic], undefined, options.filter);
    } else if (filterChanged && options.filter !== undefined) {
      entry.filter = options.filter;
      if (this.isConnected) this.subscribeGroup([topic], undefined, options.filter);
    }
    entry.handlers.add(handler);
    const held = entry;
    if (entry.state.length) {
      // A second handler on a held topic gets no new snapshot from the server: give it the cached state.
      const replay = [...entry.state];
      queueMicrotask(() => {
        if (!held.handlers.has(handler)) return;
        for (const frame of replay) (handler as (message: ServerFrame) => void)(frame);
      });
    }
    return {
      topic,
      ready: held.ready,
      unsubscribe: () => this.unsubscribe(topic, handler),
    };
  }

  /** Removes one handler, or all of them; the topic is unsubscribed on the server when none is left. */
  unsubscribe(topic: string, handler?: AnyHandler): void {
    const entry = this.topics.get(topic);
    if (!entry) return;
    if (handler) entry.handlers.delete(handler);
    else entry.handlers.clear();
    if (entry.handlers.size > 0) return;
    this.topics.delete(topic);
    this.lastIds.delete(topic);
    entry.settle(new ClientClosedError(`unsubscribed from ${topic}`));
    if (entry.active && this.isConnected) {
      this.sendUnsubscribe([topic]);
    }
  }

  private sendUnsubscribe(topics: string[]): void {
    this.request<UnsubscribedFrame>({ type: 'unsubscribe', data: { topics } }).catch((err: Error) => {
      if (!(err instanceof ClientClosedError)) this.emitter.emit('error', err);
    });
  }

  /** Topics with at least one handler. */
  subscribedTopics(): string[] {
    return [...this.topics.keys()];
  }

  ping(timeoutMs?: number): Promise<PongFrame> {
    return this.request<PongFrame>({ type: 'ping', data: {} }, timeoutMs);
  }

  async authenticate(token: string): Promise<AuthenticatedFrame> {
    const reply = await this.request<AuthenticatedFrame>({ type: 'auth', data: { token } });
    this.token = token;
    this.scheduleRefresh();
    return reply;
  }

  /**
   * Sends a client frame and resolves with the reply that echoes its `ref` (an `error` reply rejects
   * with ServerError). While disconnected the frame waits for the next connection; the timeout runs
   * from the call.
   */
  request<R extends ReplyFrame = ReplyFrame>(
    frame: ClientFrame,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<R> {
    if (this.stopped) return Promise.reject(new ClientClosedError());
    const ref = frame.ref ?? `r${++this.refSeq}`;
    return new Promise<R>((resolve, reject) => {
      const pending: PendingRequest = {
        frame: { ...frame, ref },
        sent: false,
        timer: setTimeout(() => {
          this.pending.delete(ref);
          reject(new RequestTimeoutError(frame.type, timeoutMs));
        }, timeoutMs),
        resolve: resolve as (frame: ServerFrame) => void,
        reject,
      };
      this.pending.set(ref, pending);
      if (this.isConnected) this.sendPending(pending);
    });
  }

  /** Sends any frame without waiting for a reply; queued while disconnected. False when dropped. */
  send(frame: ClientFrame): boolean {
    if (this.stopped) return false;
    const text = JSON.stringify(frame);
    if (this.isConnected && this.ws) {
      this.ws.send(text);
      return true;
    }
    if (this.queue.length >= this.options.maxQueuedFrames) return false;
    this.queue.push(text);
    return true;
  }

  // ---- connection lifecycle ----

  private async open(): Promise<void> {
    this.timers.reconnect = undefined;
    if (!this.everConnected && this.failures === 0) this.setStatus({ state: 'connecting', attempt: 1 });
    let token: string | undefined;
    try {
      token = await this.currentToken();
    } catch (err) {
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
      if (!this.stopped) this.scheduleReconnect({ code: 4401, reason: 'getToken failed', advice: 'refresh-token' });
      return;
    }
    if (this.stopped || this.ws) return;
    const url = new URL(this.url);
    if (token) url.searchParams.set('token', token);
    let ws: WebSocketLike;
    try {
      ws = new this.WebSocketImpl(url.toString());
    } catch (err) {
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
      this.scheduleReconnect({ code: 1006, reason: 'could not open socket', advice: 'reconnect' });
      return;
    }
    this.ws = ws;
    ws.onmessage = (event: { data: unknown }) => {
      if (this.ws === ws) this.onFrame(event.data);
    };
    ws.onclose = (event: { code: number; reason: string }) => {
      if (this.ws === ws) this.onSocketClose(event.code, event.reason);
    };
    // Keep an error listener for the socket's whole life: `ws` throws on an unhandled 'error'.
    ws.onerror = () => undefined;
    this.timers.connect = setTimeout(() => this.dropSocket('connect timeout'), this.options.connectTimeoutMs);
  }

  private async currentToken(): Promise<string | undefined> {
    const expired = this.token !== undefined && (tokenTimes(this.token).expiresAtMs ?? Infinity) <= Date.now() + 1000;
    if (this.getToken && (this.token === undefined || this.tokenStale || expired)) {
      this.token = await this.getToken();
      this.tokenStale = false;
    }
    return this.token;
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
    this.schedulePing();
    this.scheduleRefresh();
    this.resubscribeAll(resuming);
    for (const pending of this.pending.values()) if (!pending.sent) this.sendPending(pending);
    const queued = this.queue;
    this.queue = [];
    for (const text of queued) this.ws?.send(text);
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
    for (const entry of this.topics.values()) entry.active = false;
    // Subscriptions die with the socket and resubscribeAll() renews them; other requests (ping,
    // auth, raw frames) lost their reply too and are sent again on the next connection.
    for (const [ref, pending] of this.pending) {
      if (pending.frame.type === 'subscribe' || pending.frame.type === 'unsubscribe') {
        clearTimeout(pending.timer);
        this.pending.delete(ref);
        pending.reject(new ClientClosedError('connection lost'));
      } else {
        pending.sent = false;
      }
    }
    this.resumeState = undefined;
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
        if (!this.getToken) {
          this.stopped = true;
          this.stopFor(close);
          return;
        }
        this.tokenStale = true;
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
    for (const entry of this.topics.values()) entry.active = false;
    clearTimeout(this.timers.reconnect);
    this.queue = [];
    const err = new ClientClosedError(`connection closed: ${close.code} ${close.error?.code ?? close.reason}`);
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
    this.pending.clear();
    this.setStatus({ state: 'closed', close });
  }

  private clearTimers(): void {
    clearTimeout(this.timers.connect);
    clearTimeout(this.timers.ping);
    clearTimeout(this.timers.refresh);
    this.timers.connect = this.timers.ping = this.timers.refresh = undefined;
  }

  private setStatus(status: ConnectionStatus): void {
    this.statusValue = status;
    this.emitter.emit('status', status);
  }

  // ---- frames ----

  private onFrame(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(raw) as ServerFrame;
    } catch {
      this.emitter.emit('error', new Error('server sent a frame that is not JSON'));
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    if (frame.type === 'connected') {
      this.emitter.emit('message', frame);
      this.onConnected(frame.data);
      return;
    }
    const pending = frame.ref !== undefined ? this.pending.get(frame.ref) : undefined;
    if (pending) {
      this.pending.delete(pending.frame.ref);
      clearTimeout(pending.timer);
      if (frame.type === 'error') pending.reject(new ServerError(frame.data));
      else pending.resolve(frame);
    } else if (frame.type === 'error') {
      this.lastError = frame.data;
      this.emitter.emit('error', new ServerError(frame.data));
    }
    const topic = 'topic' in frame ? frame.topic : undefined;
    if (topic !== undefined && 'id' in frame && typeof frame.id === 'string') {
      if (!this.acceptEventId(topic, frame.id)) return;
      this.dispatch(topic, frame);
    } else if (topic !== undefined && frame.type === 'snapshot') {
      this.dispatch(topic, frame);
    }
    this.emitter.emit('message', frame);
  }

  /** False for an event already processed on this topic (replay overlapping live delivery). */
  private acceptEventId(topic: string, id: string): boolean {
    const last = this.lastIds.get(topic);
    if (last !== undefined) {
      const duplicate = isEventId(id) && isEventId(last) ? compareEventIds(id, last) <= 0 : id === last;
      if (duplicate) return false;
    }
    this.lastIds.set(topic, id);
    if (isEventId(id) && (this.newestId === undefined || compareEventIds(id, this.newestId) > 0)) this.newestId = id;
    return true;
  }

  private dispatch(topic: string, frame: ServerFrame): void {
    const entry = this.topics.get(topic);
    if (!entry) return;
    if (frame.type === 'snapshot') entry.state = [frame];
    else if (entry.state.length && entry.state.length < MAX_CACHED_STATE) entry.state.push(frame);
    for (const handler of [...entry.handlers]) {
      try {
        (handler as (message: ServerFrame) => void)(frame);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  // ---- subscriptions ----

  /**
   * After a reconnect every topic resumes from its own last id; a topic that was held but saw no
   * event yet resumes from the newest id seen on any topic (ids are ordered deployment-wide).
   */
  private resubscribeAll(resuming: boolean): void {
    const byKey = new Map<string, { topics: string[]; since?: string; filter?: SubscriptionFilter }>();
    for (const [topic, entry] of this.topics) {
      const since = this.lastIds.get(topic) ?? (resuming && entry.everActive ? this.newestId : undefined);
      const key = `${since ?? ''}|${JSON.stringify(entry.filter ?? null)}`;
      const group = byKey.get(key) ?? { topics: [], since, filter: entry.filter };
      group.topics.push(topic);
      byKey.set(key, group);
    }
    const requests: { topics: string[]; since?: string; filter?: SubscriptionFilter }[] = [];
    for (const group of byKey.values()) {
      for (let i = 0; i < group.topics.length; i += MAX_TOPICS_PER_REQUEST) {
        requests.push({ ...group, topics: group.topics.slice(i, i + MAX_TOPICS_PER_REQUEST) });
      }
    }
    const resumed = requests.filter((r) => r.since !== undefined).length;
    this.resumeState = resuming && resumed > 0 ? { outstanding: resumed, gapTopics: new Set() } : undefined;
    for (const r of requests) this.subscribeGroup(r.topics, r.since, r.filter);
  }

  private subscribeGroup(topics: string[], since?: string, filter?: SubscriptionFilter): void {
    const data: { topics: string[]; since?: string; filter?: SubscriptionFilter } = { topics };
    if (since !== undefined) data.since = since;
    if (filter !== undefined) data.filter = filter;
    this.request<SubscribedFrame>({ type: 'subscribe', data }).then(
      (reply) => this.onSubscribed(topics, since, reply.data.recovered),
      (err: Error) => this.onSubscribeFailed(topics, since, filter, err),
    );
  }

  private onSubscribed(topics: string[], since: string | undefined, recovered: boolean | undefined): void {
    const abandoned: string[] = [];
    for (const topic of topics) {
      const entry = this.topics.get(topic);
      if (!entry) {
        abandoned.push(topic);
        continue;
      }
      entry.active = entry.everActive = true;
      entry.settle();
    }
    // Unsubscribed while the subscribe was in flight: release the server side too.
    if (abandoned.length && this.isConnected) this.sendUnsubscribe(abandoned);
    const held = topics.filter((t) => this.topics.has(t));
    // A first subscription has nothing to recover; only a resume the server vouched for is recovered.
    if (held.length)
      this.emitter.emit('subscribed', { topics: held, recovered: since !== undefined && recovered === true });
    if (since === undefined) return;
    if (recovered === false) {
      // The history is gone; ids may have been reset too, so stop comparing with the old ones.
      for (const topic of topics) this.lastIds.delete(topic);
      this.emitter.emit('gap', { topics });
    } else {
      this.emitter.emit('recovered', { topics });
    }
    this.noteResumed(recovered === false ? topics : []);
  }

  private onSubscribeFailed(
    topics: string[],
    since: string | undefined,
    filter: SubscriptionFilter | undefined,
    err: Error,
  ): void {
    // A lost socket is not an error of the subscription: the next connection resubscribes.
    if (err instanceof ClientClosedError) return;
    this.emitter.emit('error', err);
    if (!(err instanceof ServerError)) {
      // A timeout or a lost socket: the next connection subscribes these topics again.
      if (since !== undefined) this.noteResumed(topics);
      return;
    }
    if (err.code === 'RATE_LIMITED') {
      setTimeout(() => {
        if (this.isConnected) this.subscribeGroup(topics, since, filter);
      }, 1000);
      return;
    }
    // subscribe is all-or-nothing: drop the refused topics (all of them when the error names none)
    // and subscribe the others again.
    const refused = new Set(err.topics?.length ? err.topics : topics);
    for (const topic of refused) {
      const entry = this.topics.get(topic);
      if (!entry) continue;
      this.topics.delete(topic);
      this.lastIds.delete(topic);
      entry.settle(err);
    }
    const rest = topics.filter((t) => !refused.has(t) && this.topics.has(t));
    if (rest.length && this.isConnected) this.subscribeGroup(rest, since, filter);
    else if (since !== undefined) this.noteResumed([]);
  }

  private noteResumed(gapTopics: string[]): void {
    if (!this.resumeState) return;
    for (const topic of gapTopics) this.resumeState.gapTopics.add(topic);
    this.resumeState.outstanding -= 1;
    this.finishResume();
  }

  private finishResume(): void {
    const state = this.resumeState;
    if (!state || state.outstanding > 0 || this.statusValue.state !== 'open') return;
    this.resumeState = undefined;
    const recovery: Recovery = { recovered: state.gapTopics.size === 0, gapTopics: [...state.gapTopics] };
    this.setStatus({ ...this.statusValue, recovery });
  }

  // ---- keep-alive and token refresh ----

  private sendPending(pending: PendingRequest): void {
    if (!this.ws || this.ws.readyState !== OPEN) return;
    pending.sent = true;
    this.ws.send(JSON.stringify(pending.frame));
  }

  private schedulePing(): void {
    const interval = this.options.pingIntervalMs;
    if (interval <= 0) return;
    this.timers.ping = setTimeout(() => {
      const ws = this.ws;
      this.ping(this.options.pingTimeoutMs).then(
        () => {
          if (this.ws === ws) this.schedulePing();
        },
        (err: Error) => {
          if (this.ws === ws && err instanceof RequestTimeoutError) this.dropSocket('ping timeout');
        },
      );
    }, interval);
  }

  private scheduleRefresh(): void {
    clearTimeout(this.timers.refresh);
    this.timers.refresh = undefined;
    if (!this.getToken || !this.token || !this.isConnected) return;
    const delay = refreshDelay(this.token, this.options.refreshMarginMs);
    if (delay === undefined) return;
    this.timers.refresh = setTimeout(() => void this.refreshToken(), Math.min(delay, MAX_TIMEOUT));
  }

  private async refreshToken(): Promise<void> {
    if (!this.getToken) return;
    try {
      const token = await this.getToken();
      // If the socket dropped meanwhile the next connection simply uses the new token.
      this.token = token;
      this.tokenStale = false;
      if (this.isConnected) await this.authenticate(token);
    } catch (err) {
      // The server closes with 4408 at expiry; the reconnect then asks getToken again.
      this.emitter.emit('error', err instanceof Error ? err : new Error(String(err)));
    }
  }
}
