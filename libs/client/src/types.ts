import type {
  ErrorData,
  MapSnapshot,
  ReconnectAdvice,
  ScheduleSnapshot,
  ServerFrame,
  SnapshotDataOf,
  TopicEventFrame,
} from '@tracklight/protocol';
import type { BackoffOptions } from './backoff.js';

/**
 * The subset of the standard WebSocket API the client uses. Handlers are declared as methods so
 * both the DOM WebSocket and the `ws` package (whose event types differ slightly) fit.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: unknown;
  onmessage: unknown;
  onclose: unknown;
  onerror: unknown;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** The state `GET /schedules/:scheduleId` returns and a `schedule:` snapshot carries. */
export type ScheduleState = ScheduleSnapshot;

/** What a `snapshot` frame carries for topic T: declared with the topic's family in libs/protocol. */
export type { MapSnapshot, SnapshotDataOf };

export interface TopicSnapshot<T extends string> {
  type: 'snapshot';
  topic: T;
  data: SnapshotDataOf<T>;
  timestamp: string;
}

/** Everything a topic handler receives: its events (typed by name) and, for stateful topics, snapshots. */
export type TopicMessage<T extends string> =
  TopicEventFrame<T> | ([SnapshotDataOf<T>] extends [never] ? never : TopicSnapshot<T>);

export interface CloseInfo {
  code: number;
  reason: string;
  advice: ReconnectAdvice;
  /** The last `error` frame received before the close (e.g. UNAUTHORIZED before 4401). */
  error?: ErrorData;
}

export interface Recovery {
  /** True when every topic resumed from its last id with no gap. */
  recovered: boolean;
  /** Topics whose history could not be replayed: their state came from a snapshot, or is missing events. */
  gapTopics: string[];
}

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | {
      state: 'open';
      connectionId: string;
      instanceId: string;
      userId: string;
      /** Set after a reconnect once every topic was resubscribed. */
      recovery?: Recovery;
    }
  | { state: 'reconnecting'; attempt: number; delayMs: number; lastClose: CloseInfo }
  | { state: 'closed'; close?: CloseInfo };

export type ConnectionState = ConnectionStatus['state'];

export interface ClientEvents {
  status: ConnectionStatus;
  /** Every frame received, after duplicate events were dropped. */
  message: ServerFrame;
  /** `error` frames that answer no request, and failures of background work (token refresh, resubscribe). */
  error: Error;
  /** Topics whose resume failed: a snapshot (if the topic has one) replaces their history. */
  gap: { topics: string[] };
  recovered: { topics: string[] };
  /**
   * Every confirmed (re)subscription. `recovered` is true only when a resume with `since` replayed
   * everything missed; otherwise whatever the caller built from earlier events must be rebuilt.
   */
  subscribed: { topics: string[]; recovered: boolean };
}

export interface ClientOptions {
  /** Full WebSocket URL including the endpoint path, e.g. `ws://localhost:3000/ws/connect`. */
  url: string;
  /** A fixed token; when `getToken` is also given it is used first. */
  token?: string;
  /** Called for the first token when `token` is absent, before a reconnect after 4408, and before expiry. */
  getToken?: () => string | Promise<string>;
  /** The WebSocket implementation: defaults to `globalThis.WebSocket`; pass `ws` in Node < 22. */
  WebSocket?: WebSocketConstructor;
  /**
   * `websocket` (default); `sse`: Server-Sent Events only (receive-only: subscription changes
   * reopen streams with Last-Event-ID); `auto`: WebSocket, switching to SSE for good when a
   * WebSocket cannot connect while HTTP works (docs/clients/typed-client.md).
   */
  transport?: 'websocket' | 'sse' | 'auto';
  /** The fetch used by the SSE transport and the fallback probe; defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Reply timeout of requests (`subscribe`, `ping`, `auth`, ...). Default 10 s. */
  requestTimeoutMs?: number;
  /** Time allowed from opening the socket to the `connected` frame. Default 10 s. */
  connectTimeoutMs?: number;
  /** App-level `ping` interval (browsers cannot see WebSocket ping frames). Default 25 s; 0 disables. */
  pingIntervalMs?: number;
  /** A `ping` unanswered for this long marks the connection dead. Default 10 s. */
  pingTimeoutMs?: number;
  /** Refresh the token this long before `exp` (at most a quarter of its lifetime). Default 60 s. */
  refreshMarginMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Maximum frames kept while disconnected. Default 1000. */
  maxQueuedFrames?: number;
  /** Starts connecting in the constructor. Default true. */
  autoConnect?: boolean;
  /** Source of randomness for the jitter (tests). */
  random?: () => number;
}
