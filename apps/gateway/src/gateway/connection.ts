import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import {
  compareEventIds,
  MSGPACK_SUBPROTOCOL,
  type AnyEndpointPath,
  type ErrorCode,
  type Role,
  type NoticeFrameType,
  type ServerFrameData,
} from '@tracklight/protocol';
import type { BusEvent } from '../bus/event-bus.js';
import type { Backlog } from './backlog.js';
import type { GatewayStats } from './gateway-stats.js';
import type { Expiring } from './expiry-schedule.js';
import { HeldTopics } from './held-topics.js';
import { monotonicMs, type BucketState, type RateLimit } from './rate-limiter.js';
import { packJsonValue } from './msgpack.js';
import { binaryFrame, textFrame } from './wire-frame.js';

/** How long a close frame may wait behind a full send buffer before the socket is destroyed. */
const CLOSE_GRACE_MS = 5_000;

export interface ConnectionInit {
  id: string;
  ws: WebSocket;
  socket: Socket;
  endpoint: AnyEndpointPath;
  userId: string;
  roles: Role[];
  expiresAt: Date;
  remoteAddress: string;
  /** The message rate limit, one instance shared by every connection. */
  rate: RateLimit;
  stats: GatewayStats;
  /** A Server-Sent Events stream (sse/sse-socket.ts stands in for the WebSocket). */
  sse?: boolean;
}

/**
 * One accepted WebSocket client and everything the gateway knows about it. Plain fields, no
 * RxJS: the fan-out touches these for every event, so they stay cheap to read.
 */
export class Connection implements BucketState, Expiring {
  readonly id: string;
  readonly ws: WebSocket;
  /** The raw TCP socket under `ws`: fan-out writes pre-built frames to it (see fanout.ts). */
  readonly socket: Socket;
  readonly endpoint: AnyEndpointPath;
  readonly userId: string;
  readonly remoteAddress: string;
  /** Negotiated `tracklight.msgpack.v1`: every frame is binary MessagePack, both ways. */
  readonly msgpack: boolean;
  /**
   * Negotiated permessage-deflate (WS_COMPRESSION=on): ws must frame and compress every message,
   * so the fan-out hands it payloads instead of writing pre-built frames to the socket.
   */
  readonly deflate: boolean;
  /** A Server-Sent Events stream: the fan-out sends it SSE messages through `ws.send`. */
  readonly sse: boolean;
  /** Epoch ms: a number rather than a Date, one object less per idle connection. */
  readonly connectedAtMs = Date.now();
  roles: Role[];
  /** The token's expiry in epoch ms (a number, not a Date: one object less per idle connection). */
  expiresAtMs: number;
  /** Where SessionService's ExpirySchedule keeps this connection (-1: not scheduled). */
  expirySlot = -1;

  /** Held topics, each with its filter (undefined = everything on that topic) and live-from mark. */
  readonly topics = new HeldTopics();
  /**
   * Topics whose replay or snapshot is in flight: live events for them wait here so they go out
   * after the replay/snapshot, in order, with no gap and no duplicate. Undefined when there are
   * none (almost always): an idle connection carries no empty Map.
   */
  pending: Map<string, BusEvent[]> | undefined;
  /**
   * Per topic, the newest id a catch-up already sent. A replay reads the bus history directly,
   * so with Redis it can return events the live feed delivers to this instance only later: those
   * must not go out twice. Cleared by the first newer live event of the topic.
   */
  floors: Map<string, string> | undefined;
  /** Set while the client is behind: frames wait here, in order (fanout.ts, backlog.ts). */
  backlog: Backlog | undefined;

  /** Epoch ms of the last client frame: a number, since it is set on every message. */
  lastActivityAt = this.connectedAtMs;
  messagesIn = 0;
  messagesOut = 0;
  /** RATE_LIMITED answers in a row; reset by the first accepted message. */
  limitedInARow = 0;
  /** Answered the last heartbeat ping. */
  alive = true;
  closed = false;
  closeCode: number | undefined;

  /** The rate limit's token bucket, as two small integers here (see rate-limiter.ts). */
  tokens = 0;
  tokensAt = 0;
  readonly rate: RateLimit;
  readonly stats: GatewayStats;
  /** The tail of this client's in-flight handlers (see run); set while any is in flight. */
  private queue: Promise<void> | undefined;
  private inflight = 0;

  constructor(init: ConnectionInit) {
    this.id = init.id;
    this.ws = init.ws;
    this.socket = init.socket;
    this.endpoint = init.endpoint;
    this.userId = init.userId;
    this.roles = init.roles;
    this.expiresAtMs = init.expiresAt.getTime();
    this.remoteAddress = init.remoteAddress;
    this.msgpack = init.ws.protocol === MSGPACK_SUBPROTOCOL;
    this.deflate = init.ws.extensions.includes('permessage-deflate');
    this.sse = init.sse === true;
    this.rate = init.rate;
    init.rate.fill(this);
    this.stats = init.stats;
  }

  /**
   * Runs this client's handlers one after another, so subscribe/unsubscribe never interleave:
   * at once when nothing is in flight (ping, unsubscribe: no promise at all), otherwise after
   * what is.
   */
  run(task: () => unknown, onError: (err: unknown) => void): void {
    if (this.inflight > 0 && this.queue !== undefined) {
      this.track(this.queue.then(task), onError);
      return;
    }
    let result: unknown;
    try {
      result = task();
    } catch (err) {
      onError(err);
      return;
    }
    if (result instanceof Promise) this.track(result, onError);
  }

  private track(work: Promise<unknown>, onError: (err: unknown) => void): void {
    this.inflight += 1;
    this.queue = work.then(
      () => {
        this.inflight -= 1;
      },
      (err: unknown) => {
        this.inflight -= 1;
        onError(err);
      },
    );
  }

  /** Takes one token from the client's bucket; false when the message must be dropped. */
  takeToken(now = monotonicMs()): boolean {
    return this.rate.take(this, now);
  }

  /** Whether a live event is newer than the topic's catch-up floor (fanout.ts). */
  aboveFloor(topic: string, id: string): boolean {
    const floors = this.floors;
    const floor = floors?.get(topic);
    if (floors === undefined || floor === undefined) return true;
    if (compareEventIds(id, floor) <= 0) return false;
    floors.delete(topic);
    if (floors.size === 0) this.floors = undefined;
    return true;
  }

  setFloor(topic: string, id: string): void {
    (this.floors ??= new Map()).set(topic, id);
  }

  get connectedAt(): Date {
    return new Date(this.connectedAtMs);
  }

  get expiresAt(): Date {
    return new Date(this.expiresAtMs);
  }

  set expiresAt(value: Date) {
    this.expiresAtMs = value.getTime();
  }

  get open(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  /** Bytes waiting for this client: the socket's buffer plus a backlog while it is behind. */
  get bufferedBytes(): number {
    return this.ws.bufferedAmount + (this.backlog?.bytes ?? 0);
  }

  /**
   * Sends one server frame given as its JSON text, in this connection's encoding. Also the bare
   * `pong` of the text heartbeat, which is a text frame whatever the encoding.
   */
  sendText(text: string, raw = false): void {
    if (!this.open) return;
    const payload = this.msgpack && !raw ? packJsonValue(text) : text;
    if (this.backlog) {
      // Behind: a reply must not overtake the events queued before it (e.g. a newer snapshot).
      this.backlog.pushReply(typeof payload === 'string' ? textFrame(payload) : binaryFrame(payload));
      return;
    }
    this.ws.send(payload, { binary: typeof payload !== 'string' });
    this.messagesOut += 1;
    this.stats.messagesOut += 1;
  }

  sendFrame(frame: object): void {
    this.sendText(JSON.stringify(frame));
  }

  /** A reply or notice frame: `{ type, ref?, topic?, data, timestamp }`. */
  reply<F extends NoticeFrameType>(type: F, data: ServerFrameData<F>, ref?: string, topic?: string): void {
    const frame: Record<string, unknown> = { type };
    if (ref !== undefined) frame.ref = ref;
    if (topic !== undefined) frame.topic = topic;
    frame.data = data;
    frame.timestamp = new Date().toISOString();
    this.sendFrame(frame);
  }

  sendError(code: ErrorCode, message: string, extra: { ref?: string; topics?: string[] } = {}): void {
    this.sendText(errorFrameJson(code, message, extra));
  }

  /**
   * Closes with a code; if the close frame cannot be flushed (a client that stopped reading),
   * the socket is destroyed after a grace period instead of lingering for ws's 30 s default.
   */
  close(code: number, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = code;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.ws.close(code, reason);
      const timer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      timer.unref();
      this.ws.once('close', () => clearTimeout(timer));
    }
  }

  terminate(): void {
    this.closed = true;
    this.closeCode ??= 1006;
    this.ws.terminate();
  }
}

/** The JSON of an `error` frame; also used before a Connection exists (refused connects). */
export function errorFrameJson(
  code: ErrorCode,
  message: string,
  extra: { ref?: string; topics?: string[] } = {},
): string {
  const data: Record<string, unknown> = { code, message };
  if (extra.topics) data.topics = extra.topics;
  const frame: Record<string, unknown> = { type: 'error' };
  if (extra.ref !== undefined) frame.ref = extra.ref;
  frame.data = data;
  frame.timestamp = new Date().toISOString();
  return JSON.stringify(frame);
}
