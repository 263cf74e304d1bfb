import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { KEEP_ALIVE, sseMessage } from './sse-frame.js';

/** A client closing its EventSource, or the network dropping it: no close code travels over HTTP. */
const CLIENT_GONE = 1000;

/**
 * An SSE stream seen through the part of ws's WebSocket that Connection and the services around
 * it use (send, close, terminate, ping/'pong', 'close', readyState, bufferedAmount), so that a
 * stream is one more subscriber of the same topic index, catch-up, history, expiry, admin kick
 * and shutdown drain as a WebSocket client.
 *
 * - Buffers passed to send() are pre-built SSE messages (the fan-out's eventSseMessage).
 * - Strings are the JSON text of a server frame (`connected`, snapshots, errors, and the
 *   `subscribed` that answers a resume) and become `event: <type>` messages. A resume that was not
 *   recovered is followed by `event: gap` with its topics (docs/PROTOCOL.md), before the snapshots.
 *   `connected` and `subscribed` are extra named events: an EventSource ignores them unless it
 *   listens for them; the typed client reads them (libs/client/src/transport).
 */
export class SseSocket extends EventEmitter {
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readonly protocol = '';
  readonly extensions = '';
  readyState = 1;
  private closeCode: number | undefined;

  constructor(private readonly res: ServerResponse) {
    super();
    res.once('close', () => {
      this.readyState = this.CLOSED;
      this.emit('close', this.closeCode ?? CLIENT_GONE, Buffer.alloc(0));
    });
    res.on('error', () => undefined);
  }

  /** What waits for this client: the response's own buffer and its socket's. */
  get bufferedAmount(): number {
    return this.res.writableLength + (this.res.socket?.writableLength ?? 0);
  }

  send(data: string | Buffer): void {
    if (this.readyState !== this.OPEN) return;
    if (typeof data !== 'string') {
      this.res.write(data);
      return;
    }
    const frame = JSON.parse(data) as { type: string; data?: { topics?: string[]; recovered?: boolean } };
    this.res.write(sseMessage(frame.type, data));
    if (frame.type === 'subscribed' && frame.data?.recovered === false) {
      this.res.write(sseMessage('gap', JSON.stringify({ topics: frame.data.topics })));
    }
  }

  /** The keep-alive comment; answered at once, since a live TCP peer is all SSE can show. */
  ping(): void {
    if (this.readyState !== this.OPEN) return;
    this.res.write(KEEP_ALIVE);
    this.emit('pong');
  }

  /** Ends the stream; `code` is what the logs and metrics record, as for a WebSocket close. */
  close(code?: number): void {
    if (this.readyState !== this.OPEN) return;
    this.closeCode = code;
    this.readyState = this.CLOSING;
    this.res.end();
  }

  terminate(): void {
    this.closeCode ??= 1006;
    this.readyState = this.CLOSING;
    this.res.destroy();
  }
}
