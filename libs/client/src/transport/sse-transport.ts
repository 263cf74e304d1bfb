import {
  compareEventIds,
  ErrorCode,
  isEventId,
  PROTOCOL_VERSION,
  resolveEndpoint,
  SSE_PATH,
  type ClientFrame,
  type ConnectedData,
  type SubscriptionFilter,
} from '@tracklight/protocol';
import type { WebSocketConstructor, WebSocketLike } from '../types.js';
import { SseParser, type SseMessage } from './sse-parser.js';

/** A stream silent for this long (the server comments at least every 15 s) is dead. */
const STALL_MS = 45_000;
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export type FetchLike = typeof fetch;

/** HTTP status of a refused stream -> the error code and close code a WebSocket would have got. */
const REFUSALS: Record<number, { code: ErrorCode; close: number }> = {
  400: { code: ErrorCode.INVALID_MESSAGE, close: 1008 },
  401: { code: ErrorCode.UNAUTHORIZED, close: 4401 },
  403: { code: ErrorCode.FORBIDDEN, close: 4403 },
  404: { code: ErrorCode.UNKNOWN_TOPIC, close: 4404 },
  429: { code: ErrorCode.LIMIT_EXCEEDED, close: 4429 },
};

interface Stream {
  topics: string[];
  filter?: SubscriptionFilter;
  abort: AbortController;
  /** The `ref` of the subscribe this stream answers; cleared once answered. */
  ref?: string;
  /** Opened for the endpoint's own topics: its `connected` is the transport's `connected`. */
  initial: boolean;
  /** The position the subscribe asked for: its answer is then the stream's `subscribed`. */
  since?: string;
}

type Handler = ((event: unknown) => void) | undefined;

/**
 * Server-Sent Events as a receive-only WebSocket for TracklightClient (docs/PROTOCOL.md section 5):
 * the client keeps its whole state machine (resume, duplicates, back-off, token refresh) and this
 * class turns its frames into `GET /sse` streams:
 *
 * - each `subscribe` opens one stream for its topics, its `since` and its filter, so it gets the
 *   same snapshot or resume a WebSocket subscribe would; the reply is made from the stream's
 *   `connected` (or, for a resume, its `subscribed`, which carries `recovered`);
 * - `unsubscribe` and `auth` (a new token) restart the streams concerned with Last-Event-ID set
 *   to the newest event id seen, so nothing published meanwhile is missed (the client drops what
 *   it already had);
 * - `ping` is answered here: the stream's keep-alive comments prove the server is there, and a
 *   stream silent for 45 s counts as a lost connection;
 * - a refused stream answers its subscribe with the error a WebSocket would send (401 -> close
 *   4401, 403 FORBIDDEN, 404 UNKNOWN_TOPIC, 429 LIMIT_EXCEEDED); a stream that ends closes the
 *   transport (1006, or 4408 after TOKEN_EXPIRED) and the client reconnects and resumes.
 */
export class SseTransport implements WebSocketLike {
  readyState = CONNECTING;
  onopen: unknown;
  onmessage: unknown;
  onclose: unknown;
  onerror: unknown;
  private readonly base: string;
  private token: string | undefined;
  private readonly streams = new Set<Stream>();
  private newestId: string | undefined;
  private lastActivity = Date.now();
  private readonly watchdog: ReturnType<typeof setInterval>;
  private lastErrorCode: string | undefined;

  constructor(
    url: string,
    private readonly fetchImpl: FetchLike = globalThis.fetch.bind(globalThis),
  ) {
    const parsed = new URL(url);
    this.token = parsed.searchParams.get('token') ?? undefined;
    this.base = `${parsed.protocol === 'wss:' || parsed.protocol === 'https:' ? 'https:' : 'http:'}//${parsed.host}`;
    this.watchdog = setInterval(() => {
      if (this.streams.size && Date.now() - this.lastActivity > STALL_MS) this.fail(1006, 'event stream stalled');
    }, 5_000);
    (this.watchdog as { unref?: () => void }).unref?.();
    const endpoint = resolveEndpoint(parsed.pathname);
    setTimeout(() => {
      if (this.readyState === CLOSED) return;
      if (!endpoint) this.fail(1006, 'no such endpoint');
      else if (endpoint.topics.length) {
        const since = parsed.searchParams.get('since') ?? undefined;
        this.open({ topics: [...endpoint.topics], abort: new AbortController(), initial: true }, since);
      } else this.becomeOpen(this.localConnected());
    }, 0);
  }

  send(text: string): void {
    if (this.readyState !== OPEN) return;
    const frame = JSON.parse(text) as ClientFrame;
    const ref = frame.ref;
    switch (frame.type) {
      case 'subscribe': {
        const { topics, since, filter } = frame.data;
        this.open({ topics: [...new Set(topics)], filter, abort: new AbortController(), ref, initial: false }, since);
        return;
      }
      case 'unsubscribe': {
        const gone = new Set(frame.data.topics);
        for (const stream of [...this.streams]) {
          if (!stream.topics.some((t) => gone.has(t))) continue;
          stream.topics = stream.topics.filter((t) => !gone.has(t));
          if (stream.topics.length) this.restart(stream);
          else this.stop(stream);
        }
        this.reply('unsubscribed', { topics: frame.data.topics }, ref);
        return;
      }
      case 'ping':
        this.reply('pong', { serverTime: new Date().toISOString() }, ref);
        return;
      case 'auth': {
        this.token = frame.data.token;
        for (const stream of [...this.streams]) this.restart(stream);
        const exp = claims(frame.data.token).exp;
        const expiresAt = typeof exp === 'number' ? new Date(exp * 1000).toISOString() : undefined;
        this.reply('authenticated', { expiresAt }, ref);
        return;
      }
      default:
        this.reply('error', { code: ErrorCode.UNKNOWN_TYPE, message: 'not available over Server-Sent Events' }, ref);
    }
  }

  close(code = 1000, reason = ''): void {
    this.fail(code, reason);
  }

  // ---- streams ----

  private open(stream: Stream, since?: string): void {
    stream.since = since;
    this.streams.add(stream);
    void this.run(stream, since);
  }

  private restart(stream: Stream): void {
    stream.abort.abort();
    stream.abort = new AbortController();
    stream.ref = undefined;
    void this.run(stream, this.newestId);
  }

  private stop(stream: Stream): void {
    stream.abort.abort();
    this.streams.delete(stream);
  }

  private async run(stream: Stream, since: string | undefined): Promise<void> {
    const signal = stream.abort.signal;
    const query = new URLSearchParams({ topics: stream.topics.join(',') });
    if (stream.filter) query.set('filter', JSON.stringify(stream.filter));
    if (this.token) query.set('token', this.token);
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (since !== undefined) headers['last-event-id'] = since;
    this.lastActivity = Date.now();
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.base}${SSE_PATH}?${query.toString()}`, { headers, signal });
    } catch {
      if (!signal.aborted) this.fail(1006, 'event stream unreachable');
      return;
    }
    if (signal.aborted) return;
    if (!res.ok || !res.body) {
      await this.refused(stream, res);
      return;
    }
    const decoder = new TextDecoder();
    const parser = new SseParser(
      (message) => this.onMessage(stream, message),
      () => (this.lastActivity = Date.now()),
    );
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        this.lastActivity = Date.now();
        parser.push(decoder.decode(chunk, { stream: true }));
      }
    } catch {
      // Aborted by us, or the network dropped it: told apart below.
    }
    if (signal.aborted || this.readyState === CLOSED) return;
    this.fail(this.lastErrorCode === ErrorCode.TOKEN_EXPIRED ? 4408 : 1006, 'event stream ended');
  }

  private async refused(stream: Stream, res: Response): Promise<void> {
    const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; topics?: string[] };
    const refusal = REFUSALS[res.status];
    this.streams.delete(stream);
    if (!refusal) {
      this.fail(1006, `event stream answered HTTP ${res.status}`);
      return;
    }
    const error = {
      code: body.code ?? refusal.code,
      message: body.message ?? `HTTP ${res.status}`,
      topics: body.topics,
    };
    if (stream.ref !== undefined && res.status !== 401) {
      this.reply('error', error, stream.ref);
      return;
    }
    this.reply('error', error);
    this.fail(res.status === 401 && body.code === ErrorCode.TOKEN_EXPIRED ? 4408 : refusal.close, error.code);
  }

  private onMessage(stream: Stream, message: SseMessage): void {
    if (message.event === 'gap') return; // the `subscribed` before it carries recovered: false
    if (message.event === 'connected') {
      if (stream.initial && this.readyState === CONNECTING) this.becomeOpen(message.data);
      // A subscribe without since is answered now, before its snapshots, as on a WebSocket.
      else if (stream.ref !== undefined && stream.since === undefined) this.answer(stream, { topics: stream.topics });
      return;
    }
    if (message.event === 'subscribed') {
      const frame = JSON.parse(message.data) as { data: { topics: string[]; recovered?: boolean } };
      if (stream.ref !== undefined) this.answer(stream, frame.data);
      return;
    }
    if (message.event === 'error') {
      this.lastErrorCode = (JSON.parse(message.data) as { data?: { code?: string } }).data?.code;
    }
    if (message.id !== undefined && isEventId(message.id)) {
      if (this.newestId === undefined || compareEventIds(message.id, this.newestId) > 0) this.newestId = message.id;
    }
    this.emit(message.data);
  }

  /** Called while reading the stream, so emitted at once: it must precede the snapshots that follow. */
  private answer(stream: Stream, data: object): void {
    const ref = stream.ref;
    stream.ref = undefined;
    this.emit(frameJson('subscribed', data, ref));
  }

  // ---- frames to the client ----

  private becomeOpen(connectedJson: string): void {
    this.readyState = OPEN;
    call(this.onopen, {});
    this.emit(connectedJson);
  }

  /** `/ws/connect` subscribes nothing, so no stream is needed until the first subscribe. */
  private localConnected(): string {
    const c = claims(this.token ?? '');
    const data: ConnectedData = {
      connectionId: 'sse',
      endpoint: SSE_PATH,
      userId: typeof c.sub === 'string' ? c.sub : '',
      roles: Array.isArray(c.roles) ? (c.roles as ConnectedData['roles']) : ['viewer'],
      topics: [],
      heartbeatIntervalMs: 15_000,
      protocolVersion: PROTOCOL_VERSION,
      instanceId: '',
    };
    return JSON.stringify({ type: 'connected', data, timestamp: new Date().toISOString() });
  }

  private reply(type: string, data: object, ref?: string): void {
    const text = frameJson(type, data, ref);
    // Asynchronous like a frame from the network: the client may still be inside send().
    setTimeout(() => this.emit(text), 0);
  }

  private emit(text: string): void {
    if (this.readyState === CLOSED) return;
    call(this.onmessage, { data: text });
  }

  private fail(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    clearInterval(this.watchdog);
    for (const stream of this.streams) stream.abort.abort();
    this.streams.clear();
    setTimeout(() => call(this.onclose, { code, reason }), 0);
  }
}

function frameJson(type: string, data: object, ref?: string): string {
  const frame: Record<string, unknown> = { type };
  if (ref !== undefined) frame.ref = ref;
  frame.data = data;
  frame.timestamp = new Date().toISOString();
  return JSON.stringify(frame);
}

function call(handler: unknown, event: unknown): void {
  (handler as Handler)?.(event);
}

/** The JWT's claims, unverified (the server verifies): only to describe the connection locally. */
function claims(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const value = JSON.parse(json) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A WebSocket constructor for TracklightClient whose sockets are SSE streams. */
export function sseTransport(fetchImpl?: FetchLike): WebSocketConstructor {
  return class extends SseTransport {
    constructor(url: string) {
      super(url, fetchImpl);
    }
  };
}
