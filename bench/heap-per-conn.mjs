// Heap per idle connection (S1 in docs/benchmarks.md), alone and ranked: `node bench/heap-per-conn.mjs
// [--contender tracklight|ws] [--clients 5000] [--build bench/results/build] [--snapshot DIR]`.
// Opens N authenticated connections to /ws/packages (each auto-subscribed to package_updates),
// and prints the server's heap growth per connection after a full GC. With --snapshot it also
// writes heap snapshots before and after and ranks what was added per connection by object type,
// which is where to look when that figure grows. The build is the one `npm run bench` makes
// (nest build into bench/results/build), or any other passed with --build.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { WebSocket } from 'ws';
import { tokenFor } from './lib/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** A text frame (ws delivers Buffers by default). @param {Buffer} b */
const utf8 = (b) => b.toString('utf8');

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();

/**
 * The server side: the contender plus `heap:gc` and `heap:snapshot` over IPC.
 * @param {string | undefined} contender
 */
async function serve(contender) {
  process.on('message', (/** @type {import('./lib/common.mjs').IpcMessage} */ msg) => {
    if (msg.cmd === 'heap:gc') {
      for (let i = 0; i < 4; i++) global.gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      process.send?.({ id: msg.id, result: { heapUsed, rss } });
    } else if (msg.cmd === 'heap:snapshot') {
      global.gc?.();
      process.send?.({ id: msg.id, result: writeHeapSnapshot(msg.file) });
    } else if (msg.cmd === 'heap:exit') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  if (contender === 'ws') {
    // ws.mjs answers its own commands too (`unknown command` for these): the runner takes the
    // first answer to each request, which is this listener's, registered first.
    await import('./servers/ws.mjs');
    return;
  }
  /** @returns {Promise<any>} a module of the build, which has no types of its own here */
  const load = (/** @type {string} */ rel) =>
    import(pathToFileURL(join(process.env.TRACKLIGHT_BUILD ?? '', 'apps/gateway/src', rel)).href);
  const { createApp } = await load('bootstrap.js');
  const { loadConfig } = await load('config/load-config.js');
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  process.send?.({ ready: true, port: app.getHttpServer().address().port });
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ contender: string, clients: number, build: string, snapshot: string | undefined }} */
  const out = { contender: 'tracklight', clients: 5000, build: join(here, 'results/build'), snapshot: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    if (key === '--contender') out.contender = value();
    else if (key === '--clients') out.clients = Number(value());
    else if (key === '--build') out.build = resolve(value());
    else if (key === '--snapshot') out.snapshot = resolve(value());
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!['tracklight', 'ws'].includes(out.contender)) throw new Error('--contender is tracklight or ws');
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.contender === 'tracklight' && !existsSync(join(args.build, 'apps/gateway/src/bootstrap.js'))) {
    throw new Error(`no build in ${args.build}: run npm run bench -- --quick --only S1S2 first, or pass --build`);
  }
  const secret = randomBytes(32).toString('hex');
  const child = fork(fileURLToPath(import.meta.url), ['--serve', args.contender], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      JWT_SECRET: secret,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tracklight-heap-')),
      TRACKLIGHT_BUILD: args.build,
    },
  });
  /** Answers awaited, by request id. @type {Map<number | undefined, (result: any) => void>} */
  const pending = new Map();
  let nextId = 1;
  /** @type {number} */
  const port = await new Promise((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    child.on('message', (/** @type {import('./lib/common.mjs').IpcMessage} */ msg) => {
      // the ready announcement always carries the port (serve)
      if (msg.ready) resolveReady(/** @type {number} */ (msg.port));
      const answer = pending.get(msg.id);
      pending.delete(msg.id);
      answer?.(msg.result);
    });
  });
  /**
   * @param {string} cmd
   * @param {Record<string, unknown>} [extra]
   * @returns {Promise<any>}
   */
  const call = (cmd, extra = {}) =>
    new Promise((res) => {
      const id = nextId++;
      pending.set(id, res);
      child.send({ id, cmd, ...extra });
    });
  const sleep = (/** @type {number} */ ms) => new Promise((res) => setTimeout(res, ms));
  /**
   * @param {number} index
   * @returns {Promise<WebSocket>}
   */
  const connect = (index) =>
    new Promise((res, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/packages?token=${tokenFor(index, secret)}`);
      ws.once('message', (data) => {
        const text = utf8(/** @type {Buffer} */ (data));
        const frame = JSON.parse(text);
        if (frame.type === 'connected') res(ws);
        else reject(new Error(`refused: ${text}`));
      });
      ws.once('error', reject);
    });

  // Warm-up: code paths and lazily built tables exist before the baseline, not in the figure.
  const warm = [];
  for (let i = 0; i < 50; i++) warm.push(await connect(1_000_000 + i));
  await sleep(300);
  for (const ws of warm) ws.close();
  await sleep(1000);
  await call('heap:gc');
  const before = await call('heap:gc');
  if (args.snapshot) mkdirSync(args.snapshot, { recursive: true });
  const snapshotFile = (/** @type {string} */ name) =>
    join(args.snapshot ?? '', `${args.contender}-${name}.heapsnapshot`);
  if (args.snapshot) await call('heap:snapshot', { file: snapshotFile('before') });

  const clients = [];
  for (let i = 0; i < args.clients; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(args.clients, i + 100); j++) batch.push(connect(j));
    clients.push(...(await Promise.all(batch)));
  }
  await sleep(1500);
  await call('heap:gc');
  const after = await call('heap:gc');
  const n = clients.length;
  const kib = (/** @type {number} */ bytes) => (bytes / n / 1024).toFixed(2);
  console.log(
    `${args.contender}: ${n} idle connections, heap ${kib(after.heapUsed - before.heapUsed)} KiB/conn, ` +
      `RSS ${kib(after.rss - before.rss)} KiB/conn (after a full GC)`,
  );
  if (args.snapshot) {
    await call('heap:snapshot', { file: snapshotFile('after') });
    rank(snapshotFile('before'), snapshotFile('after'), n);
  }
  child.send({ cmd: 'heap:exit' });
  for (const ws of clients) ws.terminate();
  setTimeout(() => process.exit(0), 300);
}

/**
 * Bytes and objects added per connection, by object type (constructor name), largest first.
 * @param {string} beforeFile
 * @param {string} afterFile
 * @param {number} n
 */
function rank(beforeFile, afterFile, n) {
  const before = byType(beforeFile);
  const rows = [];
  for (const [key, now] of byType(afterFile)) {
    const was = before.get(key) ?? { count: 0, bytes: 0 };
    rows.push({ key, count: (now.count - was.count) / n, bytes: (now.bytes - was.bytes) / n });
  }
  rows.sort((a, b) => b.bytes - a.bytes);
  console.log('bytes/conn  objects/conn  type:name (self sizes; native memory of sockets not in heapUsed)');
  for (const r of rows.slice(0, 30)) {
    console.log(`${r.bytes.toFixed(1).padStart(10)}  ${r.count.toFixed(2).padStart(12)}  ${r.key}`);
  }
}

/**
 * @param {string} file a .heapsnapshot (its JSON is untyped here)
 * @returns {Map<string, { count: number, bytes: number }>}
 */
function byType(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [type, name, size] = ['type', 'name', 'self_size'].map((f) => /** @type {string[]} */ (fields).indexOf(f));
  const out = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const t = types[snap.nodes[i + type]];
    // Strings and numbers by kind only: their "name" is their value.
    const label = /string|number/.test(t) ? '' : snap.strings[snap.nodes[i + name]].slice(0, 60);
    const key = `${t}:${label}`;
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += snap.nodes[i + size];
    out.set(key, entry);
  }
  return out;
}
