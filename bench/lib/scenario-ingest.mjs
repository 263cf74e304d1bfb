// S9: ingest (docs/benchmarks.md, "Ingest (S9)"). Each contender writes the same rows (package update + scan insert under
// the same status rules and unique scan id) for single scans from 32 closed-loop senders, then for
// batches of 500 with 4 in flight. One server runs at a time on core 0, the senders on core 1.
// Measured: accepted scans/s, server CPU per accepted scan (process CPU time / scans), p99 answer.
import { randomBytes } from 'node:crypto';

const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PACKAGES = 256;

/** @typedef {import('./types.mjs').BenchContext} BenchContext */
/** @typedef {import('./procs.mjs').Proc} Proc */

/**
 * A fresh PostgreSQL database for one contender, or undefined when no server answers.
 * @param {BenchContext['log']} log
 */
async function createDatabase(log) {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    log(`  PostgreSQL not reachable at ${ADMIN_URL} (${err.message}): PostgreSQL contenders skipped`);
    return undefined;
  }
  const name = `tracklight_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** [name, contender, needs PostgreSQL] in the order they are measured. */
/** @type {[name: string, contender: string, needsPg: boolean][]} */
const CONTENDERS = [
  ['tracklight-sqlite', 'tracklight', false],
  ['tracklight-pg', 'tracklight', true],
  ['nest-typeorm', 'nest-typeorm', false],
  ['bare-sqlite', 'bare-sqlite', false],
  ['bare-pg', 'bare-pg', true],
];

/**
 * @param {BenchContext} ctx
 * @param {Proc} server
 * @param {Proc} gen
 * @param {Omit<import('./types.mjs').IngestOptions, 'port' | 'secret'>} spec
 */
async function measure(ctx, server, gen, spec) {
  await ctx.settle(server);
  const profiling = await ctx.startProfile(server);
  const before = await server.call('usage');
  const r = await gen.call('ingest', { port: server.port, secret: ctx.secret, ...spec });
  const after = await server.call('usage');
  if (profiling) await ctx.stopProfile(server, `ingest-${spec.runTag}`);
  return {
    scansPerSecond: r.accepted / r.seconds,
    cpuUsPerScan: r.accepted ? (after.cpuUs - before.cpuUs) / r.accepted : undefined,
    serverCpuShare: (after.cpuUs - before.cpuUs) / 1e6 / r.seconds,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    accepted: r.accepted,
    requests: r.requests,
    counts: r.counts,
    seconds: r.seconds,
    generatorCpu: r.generatorCpu,
    maxRss: after.rss,
  };
}

/** @param {BenchContext} ctx */
export async function s9(ctx) {
  const single = { mode: /** @type {const} */ ('single'), senders: 32, durationMs: ctx.quick ? 4_000 : 15_000 };
  const batch = {
    mode: /** @type {const} */ ('batch'),
    senders: 4,
    batchSize: 500,
    durationMs: ctx.quick ? 4_000 : 15_000,
  };
  const gen = ctx.genFor('ingest');
  /** @type {Record<string, { single: Awaited<ReturnType<typeof measure>>, batch: Awaited<ReturnType<typeof measure>> } | { error: string }>} */
  const contenders = {};
  // `BENCH_S9_CONTENDERS=tracklight-sqlite,bare-sqlite npm run bench -- --only S9` for an A/B of a few
  const only = process.env.BENCH_S9_CONTENDERS?.split(',');
  for (const [name, contender, needsPg] of CONTENDERS) {
    if (only && !only.includes(name)) continue;
    if (name.startsWith('tracklight') && !ctx.tracklight) continue;
    const db = needsPg ? await createDatabase(ctx.log) : null;
    if (needsPg && !db) continue;
    try {
      const server = await ctx.startServer(name, contender, db ? { DATABASE_URL: db.url } : {});
      const prefix = `S9${name
        .replace(/[^a-z]/g, '')
        .slice(0, 6)
        .toUpperCase()}`;
      const seeded = await gen.call('seedPackages', { port: server.port, secret: ctx.secret, prefix, count: PACKAGES });
      if (seeded.failed) throw new Error(`${name}: ${seeded.failed} of ${PACKAGES} packages not created`);
      const common = { prefix, packages: PACKAGES };
      // warm-up: JIT and connection pools, not measured
      await gen.call('ingest', {
        port: server.port,
        secret: ctx.secret,
        ...common,
        ...single,
        durationMs: 1_000,
        runTag: 'w',
      });
      const s = await measure(ctx, server, gen, { ...common, ...single, runTag: 's' });
      ctx.log(
        `    ${name} single: ${s.scansPerSecond.toFixed(0)} scans/s, ${s.cpuUsPerScan?.toFixed(0)} µs CPU/scan, p99 ${s.p99Ms} ms`,
      );
      const b = await measure(ctx, server, gen, { ...common, ...batch, runTag: 'b' });
      ctx.log(
        `    ${name} batch: ${b.scansPerSecond.toFixed(0)} scans/s, ${b.cpuUsPerScan?.toFixed(0)} µs CPU/scan, p99 ${b.p99Ms} ms`,
      );
      contenders[name] = { single: s, batch: b };
      await ctx.stopServer(server);
    } catch (err) {
      ctx.log(`  ${name} failed: ${err.stack ?? err}`);
      contenders[name] = { error: String(err.message ?? err) };
    } finally {
      await db?.drop().catch(() => {});
    }
  }
  return {
    params: { packages: PACKAGES, single, batch, rounds: 1, contenders: Object.keys(contenders) },
    contenders,
  };
}
