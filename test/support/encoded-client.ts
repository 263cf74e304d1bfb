import { pack, unpack } from 'msgpackr';
import WebSocket from 'ws';
import { MSGPACK_SUBPROTOCOL } from '@tracklight/protocol';
import type { Closed, Frame } from './ws.js';

export interface EncodedClientOptions {
  token: string;
  /** Offer `tracklight.msgpack.v1`. */
  msgpack?: boolean;
  /** Offer permessage-deflate (ws's client default when true). */
  deflate?: boolean;
}

/** One received WebSocket frame as it came: opcode bits, whether compressed (RSV1), its size. */
export interface WireFrame {
  compressed: boolean;
  opcode: number;
  payloadBytes: number;
}

/**
 * A real `ws` client that may speak MessagePack and offer deflate. Records each decoded frame,
 * whether it came binary, and (from the raw socket) each server frame's RSV1 bit and size.
 */
export class EncodedClient {
  readonly ws: WebSocket;
  readonly frames: { frame: Frame; binary: boolean }[] = [];
  readonly wire: WireFrame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<Closed>;
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  private readonly taken = new Set<Frame>();
  private pendingBytes = Buffer.alloc(0);

  constructor(
    url: string,
    private readonly options: EncodedClientOptions,
  ) {
    const sep = url.includes('?') ? '&' : '?';
    this.ws = new WebSocket(
      `${url}${sep}token=${encodeURIComponent(options.token)}`,
      options.msgpack ? [MSGPACK_SUBPROTOCOL] : [],
      { perMessageDeflate: options.deflate ?? false },
    );
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => {
        // After ws attached its own listener (a listener added at 'upgrade' stalls its receiver).
        const socket = (this.ws as unknown as { _socket: NodeJS.ReadableStream })._socket;
        socket.on('data', (chunk: Buffer) => this.tap(chunk));
        resolve();
      });
      this.ws.once('error', reject);
    });
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => this.ws.once('close', (code, r) => resolve({ code, reason: r.toString() })));
    this.ws.on('message', (data: Buffer, isBinary) => {
      const frame = (isBinary ? unpack(data) : JSON.parse(data.toString('utf8'))) as Frame;
      this.frames.push({ frame, binary: isBinary });
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) {
        this.taken.add(frame);
        this.waiters.splice(i, 1)[0].resolve(frame);
      }
    });
  }

  next(match: string | ((f: Frame) => boolean) = () => true, timeoutMs = 5_000): Promise<Frame> {
    const test = typeof match === 'string' ? (f: Frame) => f.type === match : match;
    const ready = this.frames.find(({ frame }) => !this.taken.has(frame) && test(frame));
    if (ready) {
      this.taken.add(ready.frame);
      return Promise.resolve(ready.frame);
    }
    return new Promise((resolve, reject) => {
      const waiter = { match: test, resolve };
      setTimeout(() => {
        if (!this.waiters.includes(waiter)) return;
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame; got ${this.frames.map((f) => f.frame.type).join(', ')}`));
      }, timeoutMs).unref();
      this.waiters.push(waiter);
    });
  }

  /** Whether the frame came as a binary WebSocket frame. */
  binary(frame: Frame): boolean {
    return this.frames.find((f) => f.frame === frame)?.binary ?? false;
  }

  send(value: object): void {
    this.ws.send(this.options.msgpack ? pack(value) : JSON.stringify(value));
  }

  request(type: string, data?: unknown, ref = `r${Math.random().toString(36).slice(2, 10)}`): Promise<Frame> {
    const reply = this.next((f) => f.ref === ref);
    this.send(data === undefined ? { type, ref } : { type, ref, data });
    return reply;
  }

  close(): Promise<Closed> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    return this.closed;
  }

  /** Splits the server's byte stream into frames (server frames are never masked). */
  private tap(chunk: Buffer): void {
    let buf = Buffer.concat([this.pendingBytes, chunk]);
    for (;;) {
      if (buf.length < 2) break;
      let length = buf[1] & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buf.length < 4) break;
        length = buf.readUInt16BE(2);
        header = 4;
      } else if (length === 127) {
        if (buf.length < 10) break;
        length = Number(buf.readBigUInt64BE(2));
        header = 10;
      }
      if (buf.length < header + length) break;
      this.wire.push({ compressed: (buf[0] & 0x40) !== 0, opcode: buf[0] & 0x0f, payloadBytes: length });
      buf = buf.subarray(header + length);
    }
    this.pendingBytes = Buffer.from(buf);
  }
}
