// A WebSocket receiver on a bare TCP socket: it performs the upgrade itself, walks frame headers
// and only looks inside text frames for the latency marker. It allocates nothing per event, so
// one generator core outruns the server core it measures (a `ws` client would not).
import { connect } from 'node:net';
import { MARKER } from './common.mjs';

const MARK_LEN = Buffer.byteLength(MARKER);
// The marker without its opening quote: Buffer.indexOf scans with memchr for the needle's first
// byte, and in JSON a quote comes every few bytes while a `b` is rare (about 3x faster per search).
const MARK_TAIL = Buffer.from(MARKER.slice(1));
if (MARKER[0] !== '"') throw new Error('findMarker expects a marker that opens with a quote');
const QUOTE = 0x22;
const CRLF2 = Buffer.from('\r\n\r\n');
const COLON = 0x3a;
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/**
 * The first `MARKER` at or after `from`, or -1: the same answer as buf.indexOf(MARKER, from).
 * @param {Buffer} buf
 * @param {number} from
 */
function findMarker(buf, from) {
  let p = buf.indexOf(MARK_TAIL, from + 1);
  while (p !== -1 && buf[p - 1] !== QUOTE) p = buf.indexOf(MARK_TAIL, p + 1);
  return p === -1 ? -1 : p - 1;
}

/**
 * A client frame: masked (as RFC 6455 requires) with an all-zero key, so no byte needs XOR.
 * @param {string | Buffer} payload
 */
export function clientFrame(payload, opcode = 1) {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const len = body.length;
  const head = len < 126 ? Buffer.alloc(6) : Buffer.alloc(8);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = 0x80 | len;
  else {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(len, 2);
  }
  return Buffer.concat([head, body]);
}

const EIO_PONG = clientFrame('3');
/**
 * Every socket reads into this one buffer (net's `onread`): no allocation and no stream machinery
 * per read. Whatever outlives a callback (a partial frame) is copied out.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);
const CLOSE_NORMAL = clientFrame(Buffer.from([0x03, 0xe8]), 8);

/**
 * Wire dialect of each contender. `readyPrefix`: the text frame that ends the connect phase.
 * @type {Record<import('./types.mjs').ContenderKind, import('./types.mjs').Dialect>}
 */
export const DIALECTS = {
  tracklight: {
    url: (path, token) => `${path}?token=${token}`,
    msg: (type, data) => JSON.stringify({ type, ...(data ? { data } : {}) }),
  },
  ws: {
    url: (path, token) => `${path}?token=${token}`,
    msg: (type, data) => JSON.stringify({ type, ...(data ? { data } : {}) }),
  },
  nest: {
    url: (path, token) => `${path}?token=${token}`,
    msg: (type, data) => JSON.stringify({ event: type, data: data ?? {} }),
  },
  socketio: {
    url: () => '/socket.io/?EIO=4&transport=websocket',
    msg: (type, data) => `42${JSON.stringify([type, data ?? {}])}`,
    socketio: true,
  },
};

/** Latencies below this many µs (about 1 s) are counted per µs and reach the HDR histogram in bulk. */
const FLAT_LIMIT = 1 << 20;

/**
 * The shared counters of one group of connections. Recording a value in the HDR histogram costs
 * a log2, a pow and a division; almost every latency here is below 1 s, so those are counted in a
 * flat array (4 MiB per group) instead and added with their counts when the histogram is read,
 * which yields the same histogram.
 */
export class GroupStats {
  /** @param {import('hdr-histogram-js').Histogram} hist */
  constructor(hist) {
    this.hist = hist;
    this.flat = new Uint32Array(FLAT_LIMIT);
    this.events = 0;
    this.replies = 0;
    /** Close codes seen, with their counts. @type {Record<number, number>} */
    this.closes = {};
  }

  /** @param {number} us */
  record(us) {
    if (us < FLAT_LIMIT) this.flat[us] += 1;
    else this.hist.recordValue(us);
  }

  /** The HDR histogram with every value recorded so far. */
  histogram() {
    const flat = this.flat;
    for (let us = 0; us < FLAT_LIMIT; us++) {
      if (flat[us] !== 0) this.hist.recordValueWithCount(us, flat[us]);
    }
    flat.fill(0);
    return this.hist;
  }

  reset() {
    this.hist.reset();
    this.flat.fill(0);
    this.events = 0;
    this.replies = 0;
    this.closes = {};
  }
}

/**
 * stats: the GroupStats of the connection's group. onReady(err) fires once.
 * @typedef {{
 *   port: number,
 *   kind: import('./types.mjs').ContenderKind,
 *   path: string,
 *   token: string,
 *   endpoint?: string,
 *   stats: GroupStats,
 *   onReady?: (err?: Error) => void,
 *   waitSubscribed?: Buffer,
 * }} RawClientOptions
 */
export class RawClient {
  /** @param {RawClientOptions} options */
  constructor({ port, kind, path, token, endpoint, stats, onReady, waitSubscribed }) {
    this.kind = kind;
    this.dialect = DIALECTS[kind];
    this.stats = stats;
    this.onReady = onReady;
    this.token = token;
    this.endpoint = endpoint;
    this.waitSubscribed = waitSubscribed;
    this.state = 'http';
    /** A partial frame (or response head) carried over to the next read. @type {Buffer | null} */
    this.pending = null;
    this.closed = false;
    /** @type {number | undefined} */
    this.closeCode = undefined;
    const socket = connect({
      port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        // `buf` is READ_BUFFER, a Buffer (net types it as the Uint8Array it may be in general).
        callback: (n, /** @type {Buffer} */ buf) => {
          this.onData(buf.subarray(0, n));
          return true; // keep reading
        },
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      socket.write(
        `GET ${this.dialect.url(path, token)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on('error', (err) => this.finish(err));
    socket.on('close', () => {
      this.closed = true;
      if (this.closeCode === undefined) {
        this.closeCode = 1006;
        if (this.state === 'open') this.stats.closes[1006] = (this.stats.closes[1006] ?? 0) + 1;
      }
      this.finish(new Error(`closed during ${this.state} (code ${this.closeCode})`));
    });
  }

  /** @param {Error} [err] */
  finish(err) {
    const cb = this.onReady;
    if (!cb) return;
    this.onReady = undefined;
    cb(err);
  }

  /** @param {Buffer} buf */
  send(buf) {
    if (!this.closed) this.socket.write(buf);
  }

  /** Sends a close frame and ends the TCP stream, as a well-behaved client leaving. */
  close() {
    if (this.closed) return;
    this.closeCode ??= 1000;
    this.socket.end(CLOSE_NORMAL);
  }

  /** @param {Buffer} chunk */
  onData(chunk) {
    let buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    if (this.state === 'http') {
      const end = buf.indexOf(CRLF2);
      if (end === -1) {
        this.pending = Buffer.from(buf);
        return;
      }
      const statusLine = buf.toString('latin1', 0, Math.min(end, 40));
      if (!statusLine.startsWith('HTTP/1.1 101')) {
        this.finish(new Error(statusLine.split('\r\n')[0]));
        this.socket.destroy();
        return;
      }
      this.state = 'handshake';
      buf = buf.subarray(end + 4);
    }
    this.parse(buf);
  }

  /** @param {Buffer} buf */
  parse(buf) {
    const len = buf.length;
    let off = 0;
    let nowUs = -1;
    // The next marker at or after the last search position (-2: not searched yet, -1: none left in
    // this read). Searching on from the last marker of a frame already finds the first marker of
    // the next one, so each marker is searched for once, not twice.
    let mark = -2;
    while (off + 2 <= len) {
      const opcode = buf[off] & 0x0f;
      let plen = buf[off + 1] & 0x7f;
      let start = off + 2;
      if (plen === 126) {
        if (off + 4 > len) break;
        plen = (buf[off + 2] << 8) | buf[off + 3];
        start = off + 4;
      } else if (plen === 127) {
        if (off + 10 > len) break;
        plen = buf.readUInt32BE(off + 6);
        start = off + 10;
      }
      const end = start + plen;
      if (end > len) break;
      if (opcode === 1 || opcode === 0) {
        if (mark !== -1 && mark < start) mark = findMarker(buf, start);
        if (mark !== -1 && mark < end) {
          if (nowUs < 0) nowUs = Number(process.hrtime.bigint() / 1000n);
          const stats = this.stats;
          do {
            let t = 0;
            let i = mark + MARK_LEN;
            for (let c = buf[i]; c !== COLON; c = buf[++i]) t = t * 10 + (c - 48);
            stats.record(Math.min(Math.max(nowUs - t, 1), 100_000_000));
            stats.events += 1;
            mark = findMarker(buf, i);
          } while (mark !== -1 && mark < end);
        } else this.onControlText(buf, start, end);
      } else if (opcode === 9) {
        this.send(clientFrame(buf.subarray(start, end), 10));
      } else if (opcode === 8) {
        const code = plen >= 2 ? buf.readUInt16BE(start) : 1005;
        this.closeCode = code;
        this.stats.closes[code] = (this.stats.closes[code] ?? 0) + 1;
        this.socket.end();
      }
      off = end;
    }
    if (off < len) this.pending = Buffer.from(buf.subarray(off));
  }

  /**
   * Text frames without an event: handshake steps, replies, engine.io pings.
   * @param {Buffer} buf
   * @param {number} start
   * @param {number} end
   */
  onControlText(buf, start, end) {
    if (this.dialect.socketio) {
      const c0 = buf[start];
      if (end - start === 1 && c0 === 0x32) {
        this.send(EIO_PONG);
        return;
      }
      if (this.state === 'handshake') {
        if (c0 === 0x30) {
          this.send(clientFrame(`40${JSON.stringify({ token: this.token, endpoint: this.endpoint })}`));
          return;
        }
        if (c0 === 0x34 && buf[start + 1] === 0x34) {
          this.finish(new Error(`connect_error ${buf.toString('utf8', start, end)}`));
          this.socket.destroy();
          return;
        }
        // `40{...}` acknowledges the namespace; the server's `connected` emit follows.
        if (c0 === 0x34 && buf[start + 1] === 0x30) return;
      }
    }
    if (this.state === 'handshake') {
      this.state = this.waitSubscribed ? 'subscribing' : 'open';
      if (this.waitSubscribed) this.send(this.waitSubscribed);
      else this.finish();
      return;
    }
    if (this.state === 'subscribing') {
      const text = buf.toString('utf8', start, end);
      if (text.includes('subscribed')) {
        this.state = 'open';
        this.finish();
      } else if (text.includes('error')) {
        this.finish(new Error(`subscribe failed: ${text.slice(0, 200)}`));
      }
      // snapshots and other frames may come before the reply
      return;
    }
    this.stats.replies += 1;
  }
}
