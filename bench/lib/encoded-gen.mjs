// Load generator of S10/S11 (bench/encodings.mjs): real `ws` clients, some speaking MessagePack,
// some offering permessage-deflate, which the raw generator of the other scenarios cannot (it
// finds its latency marker in JSON text). Counts frames and the bytes that crossed each socket;
// decodes nothing per event, so its core keeps up with the rates offered.
import WebSocket from 'ws';
import { serveCommands, tokenFor } from './common.mjs';

const MSGPACK = 'tracklight.msgpack.v1';
/**
 * `_socket` is ws's own (untyped) TCP socket: the only place a client's bytes read show.
 * @type {(WebSocket & { _socket?: import('node:net').Socket })[]}
 */
let clients = [];
let events = 0;

function bytesRead() {
  let sum = 0;
  for (const c of clients) sum += c._socket?.bytesRead ?? 0;
  return sum;
}

let baseBytes = 0;

serveCommands({
  /** @param {{ port: number, count: number, msgpackShare?: number, deflate?: boolean, secret: string }} args */
  async connect({ port, count, msgpackShare = 0, deflate = false, secret }) {
    let failed = 0;
    const opened = [];
    for (let i = 0; i < count; i++) {
      const msgpack = i < Math.round(count * msgpackShare);
      const ws = new WebSocket(
        `ws://127.0.0.1:${port}/ws/packages?token=${tokenFor(i, secret)}`,
        msgpack ? [MSGPACK] : [],
        { perMessageDeflate: deflate },
      );
      opened.push(
        new Promise((/** @type {(value?: void) => void} */ resolve) => {
          ws.once('message', (data, isBinary) => {
            if (msgpack !== isBinary || (msgpack && ws.protocol !== MSGPACK)) failed += 1;
            ws.on('message', () => (events += 1));
            resolve();
          });
          ws.once('error', () => {
            failed += 1;
            resolve();
          });
        }),
      );
      clients.push(ws);
      if (i % 100 === 99) await Promise.all(opened.splice(0));
    }
    await Promise.all(opened);
    const negotiated = clients.filter((c) => c.extensions.includes('permessage-deflate')).length;
    return { ok: count - failed, failed, deflate: negotiated };
  },
  reset() {
    events = 0;
    baseBytes = bytesRead();
    return true;
  },
  counts() {
    return { events, bytes: bytesRead() - baseBytes };
  },
  close() {
    for (const c of clients) c.terminate();
    clients = [];
    return true;
  },
});
