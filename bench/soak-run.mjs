// `npm run soak` (not part of `npm test`): a gateway under steady traffic and connection
// churn for a configurable time. It prints the gateway's RSS, heap, handles and event-loop lag
// (scraped from its own GET /metrics) every interval, and exits 1 if they keep growing.
//
//   npm run soak -- --minutes 5 --connections 2000 --churn 20 --interval 60
//
// Traffic: the demo simulator (SIMULATOR_RATE actions/s: package creations and scans, which fan
// out as package_update, map_update, anomalies, dashboard_metrics), plus an application ping from
// every client every 15 s. Churn: every second `churn` clients leave (half close cleanly, half
// vanish with a TCP reset) and as many new ones connect and subscribe.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';

const { values: opt } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    connections: { type: 'string', default: '2000' },
    churn: { type: 'string', default: '20' },
    interval: { type: 'string', default: '60' },
    rate: { type: 'string', default: '10' },
    // Growth tolerated between the first sample after warm-up and the last one.
    tolerance: { type: 'string', default: '15' },
  },
});
const MINUTES = Number(opt.minutes);
const CONNECTIONS = Number(opt.connections);
const CHURN = Number(opt.churn);
const INTERVAL_S = Number(opt.interval);
const TOLERANCE_PCT = Number(opt.tolerance);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const secret = randomBytes(32).toString('base64url');
const metricsToken = randomBytes(16).toString('hex');

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** @param {string} sub */
function jwt(sub) {
  const b64 = (/** @type {unknown} */ v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, roles: ['viewer'], exp: Math.floor(Date.now() / 1000) + 86_400 })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'tracklight-soak-'));
const gatewayArgs = [
  '--expose-gc',
  '--import',
  './test/durability-support/register.mjs',
  '--import',
  './bench/soak-gc.mjs',
  'apps/gateway/src/main.ts',
];
const gateway = spawn(process.execPath, gatewayArgs, {
  cwd: root,
  env: {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    JWT_SECRET: secret,
    METRICS_TOKEN: metricsToken,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    SIMULATOR: 'on',
    SIMULATOR_RATE: opt.rate,
    WS_MAX_CONNECTIONS_PER_USER: String(CONNECTIONS * 2),
    // The replay history is memory by design (10,000 events or 10 min by default): kept small
    // here so it is full within the warm-up window and cannot pass for a leak afterwards.
    HISTORY_MAX_EVENTS: '2000',
    HISTORY_MAX_AGE_SECONDS: '30',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let stopping = false;
gateway.once('exit', (code, signal) => {
  if (!stopping) {
    console.error(`soak: the gateway exited during the run (${signal ?? code})`);
    process.exit(1);
  }
});

const http = `http://127.0.0.1:${port}`;
for (let deadline = Date.now() + 120_000; ;) {
  const ok = await fetch(`${http}/health`).then(
    (r) => r.ok,
    () => false,
  );
  if (ok) break;
  if (Date.now() > deadline) throw new Error('gateway did not start');
  await new Promise((r) => setTimeout(r, 200));
}

async function scrape() {
  const text = await (await fetch(`${http}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const value = (/** @type {string} */ name, labels = '') => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    return line ? Number(line.split(' ')[1]) : NaN;
  };
  const sum = (/** @type {string} */ name) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  return {
    rss: value('process_resident_memory_bytes'),
    heap: value('nodejs_heap_size_used_bytes'),
    handles: sum('nodejs_active_handles'),
    lagP99: value('tracklight_event_loop_lag_p99_seconds') * 1000,
    connections: sum('tracklight_ws_connections'),
    deliveries: value('tracklight_ws_event_deliveries_total'),
  };
}

// ---- clients ----
const ENDPOINTS = ['/ws/map', '/ws/packages', '/ws/dashboard', '/ws/connect'];
/** @typedef {{ ws: WebSocket, n: number, ping: NodeJS.Timeout | undefined }} Client */
/** @type {Set<Client>} */
const live = new Set();
let opened = 0;
let failed = 0;
let received = 0;
let seq = 0;

function open() {
  const n = seq++;
  const endpoint = ENDPOINTS[n % ENDPOINTS.length];
  const ws = new WebSocket(`ws://127.0.0.1:${port}${endpoint}?token=${jwt(`soak-${n % 500}`)}`, {
    perMessageDeflate: false,
  });
  /** @type {Client} */
  const client = { ws, n, ping: undefined };
  ws.on('open', () => {
    opened += 1;
    live.add(client);
    const topics = n % 3 === 0 ? ['anomalies'] : n % 3 === 1 ? ['dashboard_metrics'] : [`package:TN${n % 50}`];
    ws.send(JSON.stringify({ type: 'subscribe', ref: 's', data: { topics } }));
    client.ping = setInterval(() => ws.readyState === ws.OPEN && ws.send('{"type":"ping"}'), 15_000);
  });
  ws.on('message', () => {
    received += 1;
  });
  ws.on('error', () => {
    failed += 1;
  });
  ws.on('close', () => {
    clearInterval(client.ping);
    live.delete(client);
  });
}

/**
 * @param {Client} client
 * @param {boolean} abrupt
 */
function drop(client, abrupt) {
  clearInterval(client.ping);
  live.delete(client);
  if (abrupt) client.ws.terminate();
  else client.ws.close(1000);
}

console.log(
  `soak: ${CONNECTIONS} connections, churn ${CHURN}/s, simulator ${opt.rate} actions/s, ${MINUTES} min, report every ${INTERVAL_S} s`,
);
for (let i = 0; i < CONNECTIONS; i++) {
  open();
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
}
const churnTimer = setInterval(() => {
  const victims = [...live].sort(() => Math.random() - 0.5).slice(0, CHURN);
  victims.forEach((c, i) => drop(c, i % 2 === 1));
  for (let i = 0; i < victims.length; i++) open();
}, 1000);

const fmt = (/** @type {number} */ bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
/** Scrapes right after a full GC in the gateway (bench/soak-gc.mjs): what is really retained. */
async function scrapeAfterGc() {
  const lag = await scrape();
  gateway.kill('SIGWINCH');
  await new Promise((r) => setTimeout(r, 1500));
  return { ...(await scrape()), lagP99: lag.lagP99 };
}
const samples = [];
const started = Date.now();
let lastDeliveries = 0;
let lastAt = Date.now();
console.log('(RSS, heap, handles read right after a full GC; loop p99 since the previous report)');
console.log('minute  conns  RSS        heap       handles  loop p99  deliveries/s  client msgs  churned  errors');
while (Date.now() - started < MINUTES * 60_000) {
  await new Promise((r) => setTimeout(r, Math.min(INTERVAL_S * 1000, MINUTES * 60_000 - (Date.now() - started))));
  const s = await scrapeAfterGc();
  const now = Date.now();
  const rate = (s.deliveries - lastDeliveries) / ((now - lastAt) / 1000);
  lastDeliveries = s.deliveries;
  lastAt = now;
  samples.push(s);
  console.log(
    [
      ((now - started) / 60_000).toFixed(1).padStart(6),
      String(s.connections).padStart(6),
      fmt(s.rss).padStart(10),
      fmt(s.heap).padStart(10),
      String(s.handles).padStart(8),
      `${s.lagP99.toFixed(1)} ms`.padStart(9),
      rate.toFixed(0).padStart(13),
      String(received).padStart(12),
      String(Math.max(0, opened - CONNECTIONS)).padStart(8),
      String(failed).padStart(7),
    ].join(' '),
  );
}
clearInterval(churnTimer);
for (const c of [...live]) drop(c, false);
stopping = true;
gateway.kill('SIGTERM');
await new Promise((r) => gateway.once('exit', r));
rmSync(dataDir, { recursive: true, force: true });

// The first window is warm-up (pools, JIT, caches): growth is judged from the second one on.
// "Keeps growing": every reading above the previous one AND the last past the tolerance.
const verdicts = [];
const steady = samples.slice(1);
for (const [name, key] of /** @type {const} */ ([
  ['RSS', 'rss'],
  ['heap', 'heap'],
  ['handles', 'handles'],
])) {
  if (steady.length < 3) break;
  const first = steady[0][key];
  const last = steady[steady.length - 1][key];
  const monotonic = steady.every((s, i) => i === 0 || s[key] > steady[i - 1][key]);
  const growthPct = ((last - first) / first) * 100;
  verdicts.push({ name, growthPct, failed: monotonic && growthPct > TOLERANCE_PCT });
}
for (const v of verdicts) {
  console.log(
    `soak: ${v.name} ${v.growthPct >= 0 ? '+' : ''}${v.growthPct.toFixed(1)} % after warm-up: ${v.failed ? 'KEEPS GROWING' : 'ok'}`,
  );
}
if (steady.length < 3) console.log('soak: run at least 4 intervals for a growth verdict');
const bad = verdicts.some((v) => v.failed);
console.log(bad ? 'soak: FAILED' : 'soak: passed');
process.exit(bad ? 1 : 0);
