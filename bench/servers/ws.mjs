// Contender "ws": the practical limit for Node on this machine. Same job as Tracklight (JWT at
// connect, topic index, envelope with id and timestamp) with nothing else: the envelope is
// serialized once and framed once per event, then written to each subscriber's socket.
import { createServer } from 'node:http';
// @ts-expect-error -- ws's ESM wrapper exports Sender; @types/ws does not declare it there
import { Sender, WebSocketServer, WebSocket } from 'ws';
import { serveControl } from '../lib/harness.mjs';
import { verifyJwt } from '../lib/common.mjs';

// The runner always passes the run's secret.
const secret = /** @type {string} */ (process.env.JWT_SECRET);
/** @type {Record<string, string[] | undefined>} */
const AUTO_TOPICS = { '/ws/packages': ['package_updates'], '/ws/connect': [] };
/**
 * A client with its topics; `_sender` is ws's own (undeclared) framer, which takes a frame built
 * once for every subscriber.
 * @typedef {WebSocket & { topics: Set<string>, _sender: { sendFrame: (list: Buffer[]) => void } }} Peer
 */
/** @type {Map<string, Set<Peer>>} */
const index = new Map();
let nextId = 0;
let lastMs = 0;
let idSeq = 0;
/** A text frame (ws delivers Buffers by default). @param {Buffer} b */
const utf8 = (b) => b.toString('utf8');

/**
 * @param {Peer} ws
 * @param {string} topic
 */
function join(ws, topic) {
  let set = index.get(topic);
  if (!set) index.set(topic, (set = new Set()));
  set.add(ws);
  ws.topics.add(topic);
}

/**
 * @param {Peer} ws
 * @param {string} topic
 */
function leave(ws, topic) {
  const set = index.get(topic);
  if (set) {
    set.delete(ws);
    if (set.size === 0) index.delete(topic);
  }
  ws.topics.delete(topic);
}

/**
 * @param {Peer} ws
 * @param {Record<string, unknown>} obj
 */
function send(ws, obj) {
  ws.send(JSON.stringify({ ...obj, timestamp: new Date().toISOString() }));
}

const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });

http.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const auto = AUTO_TOPICS[url.pathname];
  const claims = auto && verifyJwt(url.searchParams.get('token'), secret);
  if (!claims) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (client) => {
    const ws = /** @type {Peer} */ (client);
    ws.topics = new Set();
    for (const t of auto) join(ws, t);
    send(ws, { type: 'connected', data: { connectionId: `c${nextId++}`, userId: claims.sub, topics: auto } });
    ws.on('message', (raw, isBinary) => {
      let msg;
      try {
        msg = isBinary ? undefined : JSON.parse(utf8(/** @type {Buffer} */ (raw)));
      } catch {
        msg = undefined;
      }
      if (!msg || typeof msg.type !== 'string') {
        send(ws, { type: 'error', data: { code: 'INVALID_JSON', message: 'bad frame' } });
        return;
      }
      const topics = Array.isArray(msg.data?.topics) ? msg.data.topics : [];
      if (msg.type === 'subscribe') {
        for (const t of topics) join(ws, t);
        send(ws, { type: 'subscribed', ref: msg.ref, data: { topics } });
      } else if (msg.type === 'unsubscribe') {
        for (const t of topics) leave(ws, t);
        send(ws, { type: 'unsubscribed', ref: msg.ref, data: { topics } });
      } else if (msg.type === 'ping') {
        send(ws, { type: 'pong', ref: msg.ref, data: { serverTime: new Date().toISOString() } });
      } else {
        send(ws, { type: 'error', ref: msg.ref, data: { code: 'UNKNOWN_TYPE', message: msg.type } });
      }
    });
    ws.on('close', () => {
      for (const t of [...ws.topics]) leave(ws, t);
    });
  });
});

/** @type {import('../lib/types.mjs').Contender['publish']} */
function publish(topic, data) {
  const set = index.get(topic);
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    idSeq = 0;
  } else idSeq += 1;
  if (!set) return;
  const json = JSON.stringify({
    type: 'package_update',
    topic,
    id: `${lastMs}-${idSeq}`,
    data,
    timestamp: new Date(now).toISOString(),
  });
  const frame = Buffer.concat(
    Sender.frame(Buffer.from(json), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }),
  );
  for (const ws of set) {
    if (ws.readyState === WebSocket.OPEN) ws._sender.sendFrame([frame]);
  }
}

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  serveControl({
    publish,
    port: /** @type {import('node:net').AddressInfo} */ (http.address()).port,
    stats: () => ({ topics: index.size }),
  });
});
