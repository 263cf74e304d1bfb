// S10 (mixed JSON / MessagePack audience) and S11 (permessage-deflate off / on); defined in docs/benchmarks.md, "Scenarios".
// `node bench/encodings.mjs [--quick] [--no-build] [--rounds N]`: builds the gateway into
// bench/results/build as bench/run.mjs does, runs each case against a fresh gateway pinned to
// core 0 with `ws` clients on core 1, prints the table for docs/benchmarks.md and writes
// bench/results/encodings.json. Kept apart from run.mjs: its raw generator reads JSON text only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Proc } from './lib/procs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const rounds = Number(argv[argv.indexOf('--rounds') + 1]) || (quick ? 1 : 3);
const results = join(root, 'bench/results');
const logDir = join(results, 'logs', `encodings-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(logDir, { recursive: true });
const secret = randomBytes(32).toString('hex');
const log = (/** @type {unknown[]} */ ...p) =>
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${p.join(' ')}\n`);
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

function build() {
  if (argv.includes('--no-build') && existsSync(join(results, 'build/apps/gateway/src/main.js'))) return;
  log('building the gateway into bench/results/build');
  const config = join(results, 'tsconfig.build.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../apps/gateway/tsconfig.app.json',
      compilerOptions: { outDir: './build-next' },
      exclude: ['../../node_modules', '../../dist', '../../**/*.spec.ts', '../../**/*.spec.tsx'],
    }),
  );
  const r = spawnSync('npx', ['nest', 'build', 'gateway', '--path', relative(root, config)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
  rmSync(join(results, 'build'), { recursive: true, force: true });
  renameSync(join(results, 'build-next'), join(results, 'build'));
}

/** @type {string[]} */
const flags = JSON.parse(readFileSync(join(root, 'apps/gateway/node-flags.json'), 'utf8'));

/**
 * @param {string} label
 * @param {Record<string, string>} env
 */
async function startGateway(label, env) {
  const proc = new Proc(label, {
    core: 0,
    script: join(here, 'servers/tracklight.mjs'),
    env: {
      NODE_ENV: 'production',
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
      JWT_SECRET: secret,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tracklight-enc-')),
      TRACKLIGHT_BUILD: join(results, 'build'),
      WS_MAX_CONNECTIONS_PER_USER: '100000',
      ...env,
    },
    nodeArgs: ['--expose-gc', ...flags],
    logDir,
  });
  await proc.ready;
  return proc;
}

/**
 * @typedef {{
 *   label: string,
 *   env?: Record<string, string>,
 *   clients: number,
 *   msgpackShare?: number,
 *   deflate?: boolean,
 *   rate: number,
 *   durationMs: number,
 *   padding?: number,
 * }} Case
 */

/**
 * One case: `clients` on /ws/packages (package_updates), a share of them on MessagePack, all
 * offering deflate or none; `rate` events/s for `durationMs`, `padding` filler bytes per event.
 * @param {Case} c
 */
async function runCase({ label, env = {}, clients, msgpackShare = 0, deflate = false, rate, durationMs, padding = 0 }) {
  const server = await startGateway(label, env);
  const gen = new Proc(`gen-${label}`, { core: 1, script: join(here, 'lib/encoded-gen.mjs'), logDir });
  try {
    const base = await server.call('gcUsage');
    const conn = await gen.call('connect', { port: server.port, count: clients, msgpackShare, deflate, secret });
    await sleep(500);
    const idle = await server.call('gcUsage');
    const streams = [{ topics: ['package_updates'], rate }];
    await server.call('publish', { streams, durationMs: quick ? 300 : 1000, padding }); // warm-up
    await sleep(500);
    await gen.call('reset');
    const before = await server.call('usage');
    const pub = await server.call('publish', { streams, durationMs, padding });
    const expected = pub.published[0] * conn.ok;
    /** @type {{ events: number, bytes: number }} */
    let seen = { events: 0, bytes: 0 };
    for (let i = 0; i < 400 && seen.events < expected; i++) {
      await sleep(50);
      seen = await gen.call('counts');
    }
    const after = await server.call('usage');
    const busy = await server.call('gcUsage');
    return {
      label,
      clients: conn.ok,
      failed: conn.failed,
      deflateNegotiated: conn.deflate,
      delivered: seen.events,
      lost: expected - seen.events,
      cpuUsPerDelivery: (after.cpuUs - before.cpuUs) / seen.events,
      bytesPerDelivery: seen.bytes / seen.events,
      rssPerConnIdle: (idle.rss - base.rss) / conn.ok,
      rssPerConnAfterTraffic: (busy.rss - base.rss) / conn.ok,
      heapPerConnAfterTraffic: (busy.heapUsed - base.heapUsed) / conn.ok,
      externalPerConnAfterTraffic: (busy.external - base.external) / conn.ok,
    };
  } finally {
    await gen.stop().catch(() => {});
    await server.stop().catch(() => {});
  }
}

/** @typedef {Awaited<ReturnType<typeof runCase>>} CaseResult */

const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * @param {string} title
 * @param {Case[]} cases
 */
async function scenario(title, cases) {
  log(title);
  /** @type {Record<string, CaseResult[]>} */
  const byLabel = Object.fromEntries(cases.map((c) => [c.label, []]));
  for (let r = 0; r < rounds; r++) {
    for (const c of r % 2 ? [...cases].reverse() : cases) {
      const m = await runCase(c);
      byLabel[c.label].push(m);
      log(
        `  ${c.label}: ${m.cpuUsPerDelivery.toFixed(2)} µs/delivery, ${m.bytesPerDelivery.toFixed(0)} B/delivery, ` +
          `${(m.rssPerConnAfterTraffic / 1024).toFixed(1)} KiB RSS/conn after traffic, lost ${m.lost}`,
      );
    }
  }
  /** Each case's rounds and the median of each metric over them. @type {Record<string, { rounds: CaseResult[], [metric: string]: any }>} */
  const out = {};
  for (const [label, ms] of Object.entries(byLabel)) {
    out[label] = { rounds: ms };
    for (const k of /** @type {const} */ ([
      'cpuUsPerDelivery',
      'bytesPerDelivery',
      'rssPerConnIdle',
      'rssPerConnAfterTraffic',
      'heapPerConnAfterTraffic',
      'externalPerConnAfterTraffic',
      'lost',
    ])) {
      out[label][k] = median(ms.map((m) => m[k]));
    }
  }
  return out;
}

build();
const n = quick ? 200 : 1000;
const rate = quick ? 20 : 40; // events/s on the topic: n * rate deliveries/s
const durationMs = quick ? 1000 : 4000;
const S10 = await scenario(`S10 mixed JSON / MessagePack audience, ${n} clients, ${rate * n} deliveries/s`, [
  { label: 'json', clients: n, rate, durationMs },
  { label: 'mixed-50', clients: n, msgpackShare: 0.5, rate, durationMs },
  { label: 'msgpack', clients: n, msgpackShare: 1, rate, durationMs },
]);
const S11 = await scenario(`S11 permessage-deflate off / on, ${n} clients offering it`, [
  { label: 'small-off', clients: n, deflate: true, rate, durationMs },
  { label: 'small-on', clients: n, deflate: true, rate, durationMs, env: { WS_COMPRESSION: 'on' } },
  { label: 'large-off', clients: n, deflate: true, rate, durationMs, padding: 3000 },
  { label: 'large-on', clients: n, deflate: true, rate, durationMs, padding: 3000, env: { WS_COMPRESSION: 'on' } },
]);
const report = { when: new Date().toISOString(), quick, rounds, clients: n, rate, durationMs, S10, S11 };
writeFileSync(join(results, 'encodings.json'), JSON.stringify(report, null, 2));
const row = (/** @type {string} */ label, /** @type {any} */ m) =>
  `| ${label} | ${m.cpuUsPerDelivery.toFixed(2)} | ${m.bytesPerDelivery.toFixed(0)} | ${(m.rssPerConnIdle / 1024).toFixed(1)} | ${(m.rssPerConnAfterTraffic / 1024).toFixed(1)} | ${m.lost} |`;
console.log('\n| case | CPU µs/delivery | bytes/delivery | RSS KiB/conn idle | RSS KiB/conn after traffic | lost |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [label, m] of Object.entries({ ...S10, ...S11 })) console.log(row(label, m));
console.log(
  `\nmixed-50 / json CPU per delivery: ${(S10['mixed-50'].cpuUsPerDelivery / S10.json.cpuUsPerDelivery).toFixed(3)}`,
);
process.exit(0);
