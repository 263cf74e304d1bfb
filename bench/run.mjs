// Benchmark runner: `npm run bench [-- --quick] [-- --only S2,S4] [-- --rounds 5] [-- --compare DIR]`.
// Servers run on core 0, the load generator on core 1; contenders are measured alternately,
// round after round, and the medians with their spread go to bench/results/ and docs/.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { Proc } from './lib/procs.mjs';
import { median } from './lib/stats.mjs';
import { machineInfo, writeReport } from './lib/report.mjs';
import { scenarios } from './lib/scenarios.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

// 10,000 sockets per process need more descriptors than the usual default: re-exec once under a
// shell that raised the limit, with the runner itself on the generator's core (it mostly sleeps).
if (!process.env.BENCH_REEXEC) {
  const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec taskset -c 1 "$0" "$@"';
  const r = spawnSync('bash', ['-c', script, process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_REEXEC: '1' },
  });
  process.exit(r.status ?? 1);
}

/**
 * @typedef {{
 *   quick: boolean,
 *   build: boolean,
 *   docs: boolean,
 *   only?: string[],
 *   rounds?: number,
 *   churnTotal?: number,
 *   merge?: string,
 *   profile?: boolean,
 *   profileAll?: boolean,
 *   heapProfile?: boolean,
 *   profileGenerator?: boolean,
 *   report?: string,
 *   compare?: string,
 * }} BenchArgs
 */

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {BenchArgs} */
  const out = { quick: false, build: true, docs: true };
  for (let i = 0; i < argv.length; i++) {
    const [key, inline] = argv[i].split('=');
    const value = () => inline ?? argv[++i];
    if (key === '--quick') out.quick = true;
    else if (key === '--no-build') out.build = false;
    else if (key === '--no-docs') out.docs = false;
    else if (key === '--only') out.only = value().split(',');
    else if (key === '--rounds') out.rounds = Number(value());
    else if (key === '--churn-total') out.churnTotal = Number(value());
    else if (key === '--merge') out.merge = value();
    else if (key === '--profile') out.profile = true;
    else if (key === '--profile-all') out.profile = out.profileAll = true;
    else if (key === '--heap-profile') out.profile = out.heapProfile = true;
    else if (key === '--profile-generator') out.profileGenerator = true;
    else if (key === '--report') out.report = value();
    else if (key === '--compare') out.compare = resolve(value());
    else throw new Error(`unknown option ${argv[i]}`);
  }
  // A comparison is a what-if: its tracklight-b is another build, not the noise pair docs/ reports.
  if (out.compare) out.docs = false;
  return out;
}

const args = parseArgs(process.argv.slice(2));
const resultsDir = join(root, 'bench/results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logDir = join(resultsDir, 'logs', stamp);
mkdirSync(logDir, { recursive: true });
const log = (/** @type {unknown[]} */ ...parts) =>
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${parts.join(' ')}\n`);

/** The newest mtime of the gateway's sources, to skip a build that is already up to date. */
function newestSource() {
  let newest = 0;
  for (const dir of ['apps/gateway/src', 'libs/protocol/src']) {
    for (const rel of readdirSync(join(root, dir), { recursive: true })) {
      if (String(rel).endsWith('.ts')) newest = Math.max(newest, statSync(join(root, dir, String(rel))).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds into a staging directory and swaps it in only when the build succeeded, so a colleague's
 * half-finished edit never leaves the bench without a gateway (`deleteOutDir` empties the target).
 */
function buildGateway() {
  if (!args.build) return 'as found';
  const main = join(resultsDir, 'build/apps/gateway/src/main.js');
  if (existsSync(main) && statSync(main).mtimeMs > newestSource()) {
    log('gateway build is up to date');
    return 'up to date';
  }
  log('building the gateway (nest build gateway) into bench/results/build');
  const config = join(resultsDir, 'tsconfig.build.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../apps/gateway/tsconfig.app.json',
      compilerOptions: { outDir: './build-next' },
      exclude: ['../../node_modules', '../../dist', '../../**/*.spec.ts', '../../**/*.spec.tsx'],
    }),
  );
  // nest resolves --path against the working directory, so it must be relative
  const r = spawnSync('npx', ['nest', 'build', 'gateway', '--path', relative(root, config)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    log(`gateway build failed${existsSync(main) ? ', using the previous build' : ''}:\n${r.stdout}\n${r.stderr}`);
    return existsSync(main) ? 'previous build (current sources did not compile)' : 'failed';
  }
  rmSync(join(resultsDir, 'build'), { recursive: true, force: true });
  renameSync(join(resultsDir, 'build-next'), join(resultsDir, 'build'));
  return 'built';
}

const secret = randomBytes(32).toString('hex');
const redisPrefix = `bench-${process.pid}-`;
/** @type {string[]} */
const tempDirs = [];

/** A data directory removed when the run ends. */
function benchDataDir() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tracklight-bench-'));
  tempDirs.push(dataDir);
  return dataDir;
}

/** @param {Record<string, string>} [extra] */
function tracklightEnv(extra = {}) {
  const dataDir = benchDataDir();
  return {
    NODE_ENV: 'production',
    SIMULATOR: 'off',
    JWT_SECRET: secret,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    TRACKLIGHT_BUILD: join(resultsDir, 'build'),
    ...extra,
    // What-if runs: `TRACKLIGHT_BENCH_ENV="HISTORY_MAX_AGE_SECONDS=1 LOG_LEVEL=warn" npm run bench ...`
    ...Object.fromEntries(
      (process.env.TRACKLIGHT_BENCH_ENV ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  };
}

const WS_PATHS = { packages: '/ws/packages', connect: '/ws/connect' };
/**
 * Each contender: its server script, the dialect of the generator, and its endpoints.
 * @type {Record<string, () => import('./lib/types.mjs').ContenderSpec>}
 */
const CONTENDERS = {
  tracklight: () => ({ script: 'servers/tracklight.mjs', kind: 'tracklight', paths: WS_PATHS, env: tracklightEnv() }),
  /** S2's and S5's noise pair (the same build twice); with --compare DIR, the build in DIR (S4 too). */
  'tracklight-b': () => ({
    ...CONTENDERS.tracklight(),
    env: { ...tracklightEnv(), ...(args.compare ? { TRACKLIGHT_BUILD: args.compare } : {}) },
  }),
  /** The same build with LOG_LEVEL=warn: isolates what per-message info logging costs (S5). */
  'tracklight-quiet': () => ({ ...CONTENDERS.tracklight(), env: tracklightEnv({ LOG_LEVEL: 'warn' }) }),
  /** The same build without the durable event store (DURABLE_HISTORY_SECONDS=0): isolates its cost (S4). */
  'tracklight-nodurable': () => ({ ...CONTENDERS.tracklight(), env: tracklightEnv({ DURABLE_HISTORY_SECONDS: '0' }) }),
  /**
   * S6: the same build with the resume history bounded to 100 events. The default keeps every
   * event of the last 10 minutes (docs/PROTOCOL.md), so S6's broadcast would grow the heap by design
   * for its whole run and hide what the check is for: memory the churned connections leave behind.
   */
  'tracklight-churn': () => ({
    ...CONTENDERS.tracklight(),
    env: tracklightEnv({ HISTORY_MAX_EVENTS: '100', HISTORY_MAX_AGE_SECONDS: '1' }),
  }),
  'tracklight-coalesce': () => ({
    ...CONTENDERS.tracklight(),
    env: tracklightEnv({ WS_COALESCE_MS: '5' }),
  }),
  'tracklight-redis': () => ({
    ...CONTENDERS.tracklight(),
    env: tracklightEnv({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: redisPrefix }),
  }),
  ws: () => ({ script: 'servers/ws.mjs', kind: 'ws', paths: WS_PATHS, env: { JWT_SECRET: secret } }),
  socketio: () => ({
    script: 'servers/socketio.mjs',
    kind: 'socketio',
    paths: { packages: '/', connect: '/' },
    env: { JWT_SECRET: secret },
  }),
  'socketio-redis': () => ({
    ...CONTENDERS.socketio(),
    env: { JWT_SECRET: secret, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: redisPrefix },
  }),
  /** S9 references: the same rows written by a plain Nest + TypeORM app, and by bare node:http. */
  'nest-typeorm': () => ({
    script: 'servers/nest-typeorm-ingest.mjs',
    kind: 'http',
    paths: {},
    env: { JWT_SECRET: secret, TRACKLIGHT_BUILD: join(resultsDir, 'build'), DATA_DIR: benchDataDir() },
  }),
  'bare-sqlite': () => ({
    script: 'servers/bare-ingest.mjs',
    kind: 'http',
    paths: {},
    env: {
      JWT_SECRET: secret,
      TRACKLIGHT_BUILD: join(resultsDir, 'build'),
      DATA_DIR: benchDataDir(),
      INGEST_DB: 'sqlite',
    },
  }),
  'bare-pg': () => ({ ...CONTENDERS['bare-sqlite'](), env: { ...CONTENDERS['bare-sqlite']().env, INGEST_DB: 'pg' } }),
  nest: () => ({
    script: 'servers/nest-wsadapter.mjs',
    kind: 'nest',
    paths: { connect: '/ws' },
    env: { JWT_SECRET: secret, TRACKLIGHT_BUILD: join(resultsDir, 'build') },
  }),
};

/** @type {string[]} */
const gatewayNodeFlags = JSON.parse(readFileSync(join(root, 'apps/gateway/node-flags.json'), 'utf8'));
/** @type {Set<Proc>} */
const running = new Set();

/**
 * Starts contender servers one after the other on core 0; `label` names the instance, `env` adds
 * to the contender's environment (S9's PostgreSQL database, created by the scenario).
 * @param {string} label
 * @param {string} contender
 * @param {Record<string, string>} [env]
 */
async function startServer(label, contender, env = {}) {
  const spec = CONTENDERS[contender]();
  spec.env = { ...spec.env, ...env };
  // Tracklight runs with the V8 flags its start commands pass (apps/gateway/node-flags.json), plus
  // what-if ones: `TRACKLIGHT_BENCH_NODE_ARGS="--trace-gc" npm run bench ...`
  const extra = contender.startsWith('tracklight')
    ? [...gatewayNodeFlags, ...(process.env.TRACKLIGHT_BENCH_NODE_ARGS ?? '').split(/\s+/)]
    : [];
  const proc = new Proc(label, {
    core: 0,
    script: join(here, spec.script),
    env: spec.env,
    nodeArgs: ['--expose-gc', ...extra.filter(Boolean)],
    logDir,
  });
  running.add(proc);
  await proc.ready;
  proc.spec = spec;
  proc.contender = contender;
  return proc;
}

/** @param {Proc} proc */
async function stopServer(proc) {
  running.delete(proc);
  await proc.stop();
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One generator process per client group (per contender), all on core 1: a process may hold at
 * most `ulimit -n` sockets (20,000 here, and a container may not raise it), and only the group
 * being measured is busy at any time.
 */
/** @type {Map<string, Proc>} */
const generators = new Map();
/** @param {string} group */
function genFor(group) {
  let g = generators.get(group);
  if (!g) {
    const label = `loadgen-${group.replace(/[^\w.-]+/g, '_')}`;
    // the whole life of the process (connects included), written when it exits
    const profile = args.profileGenerator
      ? ['--cpu-prof', `--cpu-prof-dir=${join(logDir, 'profiles')}`, `--cpu-prof-name=${label}.cpuprofile`]
      : [];
    g = new Proc(label, {
      core: 1,
      script: join(here, 'loadgen.mjs'),
      nodeArgs: ['--max-old-space-size=4096', ...profile],
      logDir,
    });
    generators.set(group, g);
  }
  return g;
}

async function stopGenerators() {
  for (const g of generators.values()) await g.stop().catch(() => {});
  generators.clear();
}

/**
 * Clients of `server` on `endpoint`, all in generator group `group`, held by the generator process
 * of group `via` (its own by default).
 */
/**
 * @param {string} group
 * @param {Proc} server
 * @param {'packages' | 'connect'} endpoint
 * @param {number} count
 * @param {{ plan?: import('./lib/types.mjs').SubscribePlan, userBase?: number, via?: string }} [options]
 */
async function connectClients(group, server, endpoint, count, { plan, userBase = 0, via = group } = {}) {
  const spec = /** @type {import('./lib/types.mjs').ContenderSpec} */ (server.spec);
  const res = await genFor(via).call('connect', {
    group,
    kind: spec.kind,
    port: server.port,
    path: spec.paths[endpoint],
    endpoint,
    count,
    secret,
    userBase,
    plan,
    concurrency: 100,
  });
  if (res.failed) log(`  ${group}: ${res.failed}/${count} connections failed: ${JSON.stringify(res.errors)}`);
  return res;
}

/**
 * With --profile, every measurement of a Tracklight server is profiled (window only); --profile-all: every contender's.
 * @param {Proc} server
 * @returns {Promise<boolean>}
 */
function startProfile(server) {
  if (!args.profile || !(args.profileAll || server.contender?.startsWith('tracklight'))) return Promise.resolve(false);
  return server.call('profileStart', { kind: args.heapProfile ? 'heap' : 'cpu' });
}

/**
 * @param {Proc} server
 * @param {string} label
 */
async function stopProfile(server, label) {
  const dir = join(logDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const kind = args.heapProfile ? 'heap' : 'cpu';
  const file = join(dir, `${label.replace(/[^\w.-]+/g, '_')}-${Date.now()}.${kind}profile`);
  await server.call('profileStop', { kind, file });
}

/**
 * Waits until `server` is idle again, so a backlog never leaks into the next measurement.
 * @param {Proc} server
 */
async function settle(server, maxMs = 15_000) {
  const until = Date.now() + maxMs;
  // idle: under 10 % of a core over one step (shorter steps keep --quick under two minutes)
  const stepMs = args.quick ? 100 : 250;
  let prev = await server.call('usage');
  while (Date.now() < until) {
    await sleep(stepMs);
    const cur = await server.call('usage');
    if (cur.cpuUs - prev.cpuUs < stepMs * 100) return;
    prev = cur;
  }
}

/**
 * Waits until the generator saw `expected` events, or they stopped coming.
 * @param {string} group
 * @param {number} expected
 * @param {'events' | 'replies'} [key]
 */
async function drain(group, expected, key = 'events') {
  let last = -1;
  let lastChange = Date.now();
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    const c = await genFor(group).call('counts', { group });
    if (c[key] >= expected) return;
    if (c[key] !== last) {
      last = c[key];
      lastChange = Date.now();
    } else if (Date.now() - lastChange > (args.quick ? 500 : 1000)) return;
    await sleep(50);
  }
}

/**
 * One fan-out measurement: open-loop publishing on `publisher`, deliveries counted in `group`.
 * CPU is the sum over `cpuServers` (both instances in S8).
 * @param {{
 *   publisher: Proc,
 *   cpuServers?: Proc[],
 *   group: string,
 *   streams: import('./lib/types.mjs').Stream[],
 *   fanouts: number[],
 *   durationMs: number,
 *   padding?: number,
 * }} options
 */
async function measureFanout({ publisher, cpuServers = [publisher], group, streams, fanouts, durationMs, padding }) {
  await genFor(group).call('reset', { group });
  const profiling = await startProfile(publisher);
  /** @type {import('./lib/types.mjs').Usage[]} */
  const before = await Promise.all(cpuServers.map((s) => s.call('usage')));
  /** @type {import('./lib/types.mjs').PublishResult} */
  const pub = await publisher.call('publish', { streams, durationMs, padding });
  const expected = pub.published.reduce((sum, n, i) => sum + n * fanouts[i], 0);
  await drain(group, expected);
  if (profiling) await stopProfile(publisher, group);
  /** @type {import('./lib/types.mjs').Usage[]} */
  const after = await Promise.all(cpuServers.map((s) => s.call('usage')));
  const rep = await genFor(group).call('report', { group });
  const cpuUs = after.reduce((sum, a, i) => sum + a.cpuUs - before[i].cpuUs, 0);
  // kernel time (socket writes) apart from the process's own work
  const sysUs = after.reduce((sum, a, i) => sum + a.sysUs - before[i].sysUs, 0);
  const delta = (/** @type {'minorFaults' | 'switches'} */ key) =>
    after.reduce((sum, a, i) => sum + (a[key] ?? 0) - (before[i][key] ?? 0), 0);
  const events = pub.published.reduce((a, b) => a + b, 0);
  await Promise.all(cpuServers.map((s) => settle(s)));
  return {
    offered: streams.reduce((sum, s, i) => sum + s.rate * fanouts[i], 0),
    published: events,
    expected,
    delivered: rep.events,
    lost: Math.max(0, expected - rep.events),
    extra: Math.max(0, rep.events - expected),
    cpuUsPerDelivery: rep.events ? cpuUs / rep.events : undefined,
    cpuUsPerEvent: events ? cpuUs / events : undefined,
    sysUsPerDelivery: rep.events ? sysUs / rep.events : undefined,
    minorFaultsPer1kDeliveries: rep.events ? (delta('minorFaults') * 1000) / rep.events : undefined,
    switchesPer1kDeliveries: rep.events ? (delta('switches') * 1000) / rep.events : undefined,
    // per instance in S8: [user, system] µs per event of each
    usPerEventByServer: events
      ? after.map((a, i) => [
          (a.cpuUs - a.sysUs - (before[i].cpuUs - before[i].sysUs)) / events,
          (a.sysUs - before[i].sysUs) / events,
        ])
      : undefined,
    serverCpuShare: cpuUs / 1000 / durationMs,
    latency: rep.latency,
    generatorCpu: rep.generatorCpu,
    generatorUsPerDelivery: rep.events ? rep.generatorCpuUs / rep.events : undefined,
    maxRss: pub.maxRss,
    maxPublishLagMs: pub.maxLagMs,
    closes: rep.closes,
  };
}

/** @param {{ server: Proc, group: string, kind: string, perConnRate: number, durationMs: number }} options */
async function measureInbound({ server, group, kind, perConnRate, durationMs }) {
  await genFor(group).call('reset', { group });
  const profiling = await startProfile(server);
  const before = await server.call('usage');
  const { sent } = await genFor(group).call('send', { group, perConnRate, durationMs, kind });
  await drain(group, sent, 'replies');
  if (profiling) await stopProfile(server, `inbound-${group}`);
  const after = await server.call('usage');
  const rep = await genFor(group).call('report', { group });
  await settle(server);
  return {
    offered: sent / (durationMs / 1000),
    sent,
    replies: rep.replies,
    cpuUsPerMessage: (after.cpuUs - before.cpuUs) / sent,
    generatorCpu: rep.generatorCpu,
    closes: rep.closes,
  };
}

function gatewayPresent() {
  return existsSync(join(resultsDir, 'build/apps/gateway/src/gateway'));
}

/** WS_COALESCE_MS exists in the configuration; S3b only makes sense once the gateway reads it. */
function coalescingPresent() {
  const dir = join(resultsDir, 'build/apps/gateway/src/gateway');
  try {
    return readdirSync(dir).some((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes('coalesceMs'));
  } catch {
    return false;
  }
}

function redisBusPresent() {
  const dir = join(root, 'apps/gateway/src/bus');
  try {
    const mod = readFileSync(join(dir, 'bus.module.ts'), 'utf8');
    return /redis/i.test(mod);
  } catch {
    return false;
  }
}

/** Total µs some task waited for a CPU (Linux PSI), to show how much other processes interfered. */
function cpuPressure() {
  try {
    const m = /total=(\d+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @param {number | undefined} before
 * @param {number | undefined} after
 * @param {number} ms
 */
function cpuStalledShare(before, after, ms) {
  if (before === undefined || after === undefined) return undefined;
  return Number(((after - before) / 1000 / ms).toFixed(3));
}

/** Removes every key the Redis contenders created under this run's prefix. */
async function cleanupRedis() {
  const { Redis } = await import('ioredis');
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

const ctx = {
  args,
  quick: args.quick,
  log,
  sleep,
  genFor,
  secret,
  startServer,
  stopServer,
  connectClients,
  measureFanout,
  measureInbound,
  startProfile,
  stopProfile,
  settle,
  median,
  redisPrefix,
  redisBusPresent,
  coalescingPresent,
  /** Whether the gateway is built, known once main() looked. @type {boolean | undefined} */
  tracklight: undefined,
  /** The stdout/stderr of a server started with `label` (its JSON logs, for Tracklight). */
  logOf: (/** @type {string} */ label) => {
    try {
      return readFileSync(join(logDir, `${label}.log`), 'utf8');
    } catch {
      return '';
    }
  },
  cleanupRedis,
};

/** @typedef {typeof ctx} BenchContext */

const outFile = join(resultsDir, `${args.quick ? 'quick' : 'full'}-${stamp}.json`);
/** @type {import('./lib/types.mjs').BenchResults} */
const results = {
  meta: {
    startedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: args.quick ? 'quick' : 'full',
    machine: machineInfo(root),
  },
  scenarios: {},
};

function save() {
  results.meta.finishedAt = new Date().toISOString();
  writeFileSync(outFile, JSON.stringify(results, null, 2));
}

async function main() {
  const t0 = Date.now();
  const built = buildGateway();
  results.meta.build = built;
  results.meta.tracklight = gatewayPresent() ? 'built' : 'missing';
  if (results.meta.tracklight === 'missing') log('the gateway is not built: Tracklight contenders are skipped');
  ctx.tracklight = results.meta.tracklight === 'built';
  if (args.profile && !args.profileAll) {
    // the report reads this to flag the run's ratios
    results.meta.profiledTracklightOnly = args.heapProfile ? 'heap' : 'cpu';
    log('profiling Tracklight only: its CPU figures include the sampler, so ratios in this run are biased against it');
  }
  /** @type {Record<string, string>} */
  const alias = { S1: 'S1S2', S2: 'S1S2' };
  const ids = args.only ? [...new Set(args.only.map((id) => alias[id] ?? id))] : Object.keys(scenarios);
  for (const id of ids) {
    const scenario = scenarios[id];
    if (!scenario) throw new Error(`unknown scenario ${id}`);
    log(`== ${id}: ${scenario.title}`);
    const started = Date.now();
    const load = loadavg()[0];
    const pressure0 = cpuPressure();
    try {
      results.scenarios[id] = await scenario.run(ctx);
      results.scenarios[id].loadavg = { before: Number(load.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) };
      results.scenarios[id].cpuPressure = cpuStalledShare(pressure0, cpuPressure(), Date.now() - started);
    } catch (err) {
      log(`${id} failed: ${err.stack}`);
      results.scenarios[id] = { error: String(err.message ?? err) };
    } finally {
      for (const p of [...running]) await stopServer(p);
      await stopGenerators();
    }
    if (results.scenarios[id]) results.scenarios[id].seconds = Math.round((Date.now() - started) / 1000);
    save();
  }
  results.meta.seconds = Math.round((Date.now() - t0) / 1000);
  save();
  log(`results: ${outFile}`);
  if (args.docs) {
    const merged = args.merge ? mergeResults(JSON.parse(readFileSync(args.merge, 'utf8')), results) : results;
    writeReport(root, merged);
    log('docs/benchmarks.md and docs/benchmarks.svg updated');
  }
}

/**
 * Scenarios of `base` that this run did not redo are kept, so a partial rerun updates the docs.
 * @param {import('./lib/types.mjs').BenchResults} base
 * @param {import('./lib/types.mjs').BenchResults} fresh
 * @returns {import('./lib/types.mjs').BenchResults}
 */
function mergeResults(base, fresh) {
  const meta = {
    ...fresh.meta,
    startedAt: base.meta.startedAt,
    machine: base.meta.machine,
    command: `${base.meta.command}\`, then \`${fresh.meta.command}`,
    seconds: (base.meta.seconds ?? 0) + (fresh.meta.seconds ?? 0),
  };
  return { meta, scenarios: { ...base.scenarios, ...fresh.scenarios } };
}

try {
  if (args.report) {
    // re-renders docs/ from saved results (several files: later ones win per scenario)
    /** @type {import('./lib/types.mjs').BenchResults[]} */
    const files = args.report.split(',').map((file) => JSON.parse(readFileSync(file, 'utf8')));
    writeReport(
      root,
      files.reduce((acc, r) => mergeResults(acc, r)),
    );
    log('docs/benchmarks.md and docs/benchmarks.svg updated');
  } else await main();
} finally {
  for (const p of [...running]) await stopServer(p).catch(() => {});
  await stopGenerators();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
}
