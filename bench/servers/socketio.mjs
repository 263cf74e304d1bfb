// Contender "socketio": Socket.IO 4 as a team would deploy it for this job: WebSocket transport
// only, no compression, one room per topic, JWT checked in a connection middleware.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serveControl } from '../lib/harness.mjs';
import { verifyJwt } from '../lib/common.mjs';

// The runner always passes the run's secret.
const secret = /** @type {string} */ (process.env.JWT_SECRET);
/** @type {Record<string, string[] | undefined>} */
const AUTO_TOPICS = { packages: ['package_updates'], connect: [] };
const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
});

if (process.env.REDIS_URL) {
  const { Redis } = await import('ioredis');
  const { createAdapter } = await import('@socket.io/redis-adapter');
  const pub = new Redis(process.env.REDIS_URL);
  io.adapter(createAdapter(pub, pub.duplicate(), { key: `${process.env.REDIS_PREFIX ?? 'bench'}:sio` }));
}

io.use((socket, next) => {
  const claims = verifyJwt(socket.handshake.auth?.token, secret);
  if (!claims) return next(new Error('UNAUTHORIZED'));
  socket.data.userId = claims.sub;
  next();
});

let lastMs = 0;
let idSeq = 0;

io.on('connection', (socket) => {
  const auto = AUTO_TOPICS[socket.handshake.auth?.endpoint] ?? [];
  if (auto.length) void socket.join(auto);
  socket.emit('connected', { connectionId: socket.id, userId: socket.data.userId, topics: auto });
  socket.on('subscribe', (data) => {
    const topics = Array.isArray(data?.topics) ? data.topics : [];
    void socket.join(topics);
    socket.emit('subscribed', { topics });
  });
  socket.on('unsubscribe', (data) => {
    const topics = Array.isArray(data?.topics) ? data.topics : [];
    for (const t of topics) void socket.leave(t);
    socket.emit('unsubscribed', { topics });
  });
  socket.on('ping', () => socket.emit('pong', { serverTime: new Date().toISOString() }));
});

/** @type {import('../lib/types.mjs').Contender['publish']} */
function publish(topic, data) {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    idSeq = 0;
  } else idSeq += 1;
  io.to(topic).emit('package_update', {
    type: 'package_update',
    topic,
    id: `${lastMs}-${idSeq}`,
    data,
    timestamp: new Date(now).toISOString(),
  });
}

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  serveControl({
    publish,
    port: /** @type {import('node:net').AddressInfo} */ (http.address()).port,
    stats: () => ({ rooms: io.of('/').adapter.rooms.size }),
  });
});
