// The scenarios S1..S8 of docs/benchmarks.md. Each returns plain data: parameters, every round of every contender,
// and medians with their spread; report.mjs turns that into tables, targets and the chart.
import { spread, pluck } from './stats.mjs';
import { s9 } from './scenario-ingest.mjs';

/** @typedef {import('./types.mjs').BenchContext} BenchContext */
/** @typedef {import('./procs.mjs').Proc} Proc */
/** @typedef {Awaited<ReturnType<BenchContext['measureFanout']>>} Fanout */

const PACKAGES = ['package_updates'];

/**
 * Contender order alternates every round (A B C, C B A, ...) so a drift hits everyone alike.
 * @template T
 * @param {string[]} names
 * @param {number} rounds
 * @param {(name: string, round: number) => Promise<T>} fn
 * @returns {Promise<Record<string, T[]>>}
 */
async function alternate(names, rounds, fn) {
  /** @type {Record<string, T[]>} */
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...names].reverse() : names;
    for (const n of order) out[n].push(await fn(n, r));
  }
  return out;
}

/**
 * @param {Record<string, unknown[]>} roundsByName
 * @param {string[]} metrics paths into a round's result (stats.mjs pluck)
 */
function summarize(roundsByName, metrics) {
  /** @type {Record<string, { rounds: unknown[], summary: Record<string, import('./types.mjs').Spread | undefined> }>} */
  const out = {};
  for (const [name, rounds] of Object.entries(roundsByName)) {
    out[name] = { rounds, summary: {} };
    for (const m of metrics) out[name].summary[m] = spread(pluck(rounds, m));
  }
  return out;
}

/**
 * @param {BenchContext} ctx
 * @param {{ noise?: boolean }} [options]
 */
function fanoutContenders(ctx, { noise = true } = {}) {
  const tl = ctx.tracklight ? ['tracklight', ...(noise ? ['tracklight-b'] : [])] : [];
  return [...tl, 'ws', 'socketio'];
}

/**
 * Started together: their start-ups wait on disk and on each other's CPU, not in a row.
 * @param {BenchContext} ctx
 * @param {string[]} names
 * @returns {Promise<Record<string, Proc>>}
 */
async function startAll(ctx, names) {
  const started = await Promise.all(names.map((n) => ctx.startServer(n, n)));
  return Object.fromEntries(names.map((n, i) => [n, started[i]]));
}

/**
 * @param {BenchContext} ctx
 * @param {Record<string, Proc>} servers
 */
async function stopAll(ctx, servers) {
  for (const s of Object.values(servers)) await ctx.stopServer(s);
}

// The quick look is one round: under two minutes in all, a regression look rather than a result.
const rounds = (/** @type {BenchContext} */ ctx) => ctx.args.rounds ?? (ctx.quick ? 1 : 5);

/**
 * Per-connection memory: after GC, before and after connecting `count` clients.
 * @param {BenchContext} ctx
 * @param {Proc} server
 * @param {string} group
 * @param {'packages' | 'connect'} endpoint
 * @param {number} count
 * @param {Parameters<BenchContext['connectClients']>[4]} [opts]
 */
async function memoryProbe(ctx, server, group, endpoint, count, opts) {
  const base = await server.call('gcUsage');
  const res = await ctx.connectClients(group, server, endpoint, count, opts);
  await ctx.sleep(ctx.quick ? 300 : 1000);
  await server.call('gcUsage');
  const after = await server.call('gcUsage');
  return {
    connected: res.ok,
    failed: res.failed,
    connectMs: res.ms,
    connect: res.connect,
    baseRss: base.rss,
    rss: after.rss,
    heapUsed: after.heapUsed,
    rssPerConn: (after.rss - base.rss) / res.ok,
    heapPerConn: (after.heapUsed - base.heapUsed) / res.ok,
  };
}

/** @typedef {Awaited<ReturnType<typeof memoryProbe>>} MemoryProbe */

const FANOUT_METRICS = [
  'cpuUsPerDelivery',
  'latency.p50',
  'latency.p99',
  'latency.p999',
  'lost',
  'delivered',
  'generatorCpu',
  'serverCpuShare',
];

/** @param {BenchContext} ctx */
async function s1s2(ctx) {
  const counts = ctx.quick ? [500] : [2000, 10000];
  const offered = ctx.quick ? 20_000 : 50_000;
  const durationMs = ctx.quick ? 1000 : 4000;
  const names = fanoutContenders(ctx, { noise: !ctx.quick });
  const out = {
    params: { counts, offered, durationMs, rounds: rounds(ctx), contenders: names },
    /** @type {Record<number, { memory: Record<string, MemoryProbe>, contenders: ReturnType<typeof summarize> }>} */
    byClients: {},
  };
  for (const n of counts) {
    ctx.log(`  ${n} clients on one topic, ${offered} deliveries/s offered`);
    const servers = await startAll(ctx, names);
    /** @type {Record<string, MemoryProbe>} */
    const memory = {};
    for (const name of names) {
      memory[name] = await memoryProbe(ctx, servers[name], `${name}@${n}`, 'packages', n);
      ctx.log(
        `    ${name}: ${(memory[name].rssPerConn / 1024).toFixed(1)} KiB RSS/conn, ${(memory[name].heapPerConn / 1024).toFixed(1)} KiB heap/conn`,
      );
    }
    const streams = [{ topics: PACKAGES, rate: offered / n }];
    const measure = (/** @type {string} */ name, /** @type {number} */ ms) =>
      ctx.measureFanout({ publisher: servers[name], group: `${name}@${n}`, streams, fanouts: [n], durationMs: ms });
    for (const name of names) await measure(name, ctx.quick ? 300 : 1500);
    const byName = await alternate(names, rounds(ctx), async (name) => {
      const m = await measure(name, durationMs);
      ctx.log(`    ${name}: ${m.cpuUsPerDelivery?.toFixed(2)} µs/delivery, p99 ${m.latency.p99} ms, lost ${m.lost}`);
      return m;
    });
    out.byClients[n] = { memory, contenders: summarize(byName, FANOUT_METRICS) };
    await stopAll(ctx, servers);
  }
  return out;
}

/**
 * Offered loads of the saturation ladder: a geometric grid shared by all rounds and contenders.
 * @param {boolean} quick
 */
function grid(quick) {
  const out = [];
  for (let v = 20_000; v <= 5_000_000; v *= quick ? 2 : 1.25) out.push(Math.round(v / 1000) * 1000);
  return out;
}

/** @param {BenchContext} ctx */
async function s3(ctx) {
  const coalesce = ctx.quick || !ctx.coalescingPresent() ? [] : ['tracklight-coalesce'];
  return ladderScenario(ctx, {
    n: ctx.quick ? 250 : 1000,
    names: [...(ctx.tracklight ? ['tracklight', ...coalesce] : []), 'ws', 'socketio'],
    coalesce,
  });
}

/**
 * S3b: coalescing only pays when a client gets several events per window, so the ladder runs with
 * 100 clients (the per-client event rate is ten times S3's at the same deliveries/s).
 */
/** @param {BenchContext} ctx */
async function s3b(ctx) {
  if (!ctx.tracklight || !ctx.coalescingPresent()) {
    return { skipped: 'the gateway does not implement WS_COALESCE_MS: not run' };
  }
  return ladderScenario(ctx, {
    n: ctx.quick ? 50 : 100,
    // the quick look measures only what its target compares
    names: ['tracklight-coalesce', ...(ctx.quick ? [] : ['tracklight', 'ws']), 'socketio'],
    coalesce: ['tracklight-coalesce'],
  });
}

/**
 * @param {BenchContext} ctx
 * @param {{ n: number, names: string[], coalesce: string[] }} options
 */
async function ladderScenario(ctx, { n, names, coalesce }) {
  const durationMs = ctx.quick ? 500 : 2500;
  const steps = grid(ctx.quick);
  const servers = await startAll(ctx, names);
  for (const name of names) await ctx.connectClients(name, servers[name], 'packages', n);
  const startAt = Object.fromEntries(names.map((name) => [name, 0]));
  const byName = await alternate(names, rounds(ctx), async (name) => {
    // A load past what the generator reads makes a server close its clients as slow consumers
    // (Tracklight: 4409): each round starts with the full set connected again.
    const { open } = await ctx.genFor(name).call('counts', { group: name });
    if (open < n) {
      await ctx.genFor(name).call('close', { group: name });
      await ctx.settle(servers[name]);
      await ctx.connectClients(name, servers[name], 'packages', n);
    }
    /** @type {(Fanout & { offered: number, ok: boolean, half?: boolean })[]} */
    const points = [];
    let saturation = 0;
    let delivered = 0;
    const measureAt = async (/** @type {number} */ offered) => {
      const m = await ctx.measureFanout({
        publisher: servers[name],
        group: name,
        streams: [{ topics: PACKAGES, rate: offered / n }],
        fanouts: [n],
        durationMs,
      });
      return { m, ok: m.lost === 0 && m.latency.p99 < 100 };
    };
    const climb = async (/** @type {number} */ from) => {
      for (let i = from; i < steps.length; i++) {
        const offered = steps[i];
        const { m, ok } = await measureAt(offered);
        // `offered` is the measurement's own (rate × clients: this step, exactly, as the grid is in
        // thousands); an `offered` written before `...m` was always overwritten by it.
        points.push({ ok, ...m });
        if (!ok) {
          // Half a step between the last load held and the first one lost: saturation figures, and
          // ratios between them, then come in steps of ×1.118 instead of ×1.25.
          if (i > 0 && steps[i - 1] === saturation) {
            const half = Math.round(Math.sqrt(steps[i - 1] * steps[i]) / 1000) * 1000;
            const h = await measureAt(half);
            points.push({ ok: h.ok, half: true, ...h.m });
            if (h.ok) {
              saturation = half;
              delivered = h.m.delivered / (durationMs / 1000);
            }
          }
          break;
        }
        saturation = offered;
        delivered = m.delivered / (durationMs / 1000);
        startAt[name] = Math.max(0, i - 2);
      }
    };
    const from = startAt[name];
    await climb(from);
    // A round starts two steps below the previous round's result; when even that first step
    // fails (a stall of the host, a collection), it says nothing about the loads below it, so
    // the round climbs again from the bottom instead of scoring 0.
    if (saturation === 0 && from > 0) await climb(0);
    const last = points.findLast((p) => !p.ok) ?? points[points.length - 1];
    ctx.log(
      `    ${name}: saturation ${saturation}/s (next step: p99 ${last.latency.p99} ms, lost ${last.lost}, generator ${(last.generatorCpu * 100).toFixed(0)} %, ${last.generatorUsPerDelivery?.toFixed(2)} µs/delivery)`,
    );
    return { saturation, delivered, points };
  });
  await stopAll(ctx, servers);
  return {
    coalescing: coalesce.length ? 'measured' : 'not run: the gateway does not implement WS_COALESCE_MS yet',
    params: { clients: n, durationMs, rounds: rounds(ctx), grid: steps, contenders: names },
    contenders: summarize(byName, ['saturation', 'delivered']),
  };
}

/** @param {BenchContext} ctx */
async function s4(ctx) {
  const n = ctx.quick ? 300 : 10_000;
  const groups = n / 10;
  const offered = ctx.quick ? 10_000 : 20_000;
  const durationMs = ctx.quick ? 1000 : 4000;
  // no noise pair here (S2 and S5 have one); instead Tracklight without its durable event store
  const variants = ctx.args.compare ? ['tracklight-b'] : ctx.quick ? [] : ['tracklight-nodurable'];
  const names = [...(ctx.tracklight ? ['tracklight', ...variants] : []), 'ws', 'socketio'];
  const servers = await startAll(ctx, names);
  /** @type {Record<string, MemoryProbe>} */
  const memory = {};
  for (const name of names) {
    memory[name] = await memoryProbe(ctx, servers[name], name, 'connect', n, { plan: { mode: 'sparse', groups } });
  }
  const groupTopics = Array.from({ length: groups }, (_, i) => `package:G${i}`);
  const personal = Array.from({ length: n }, (_, i) => `package:P${i}`);
  // half of the deliveries through the groups of 10, half through the personal topics
  const streams = [
    { topics: groupTopics, rate: offered / 2 / 10 },
    { topics: personal, rate: offered / 2 },
  ];
  const measure = (/** @type {string} */ name, /** @type {number} */ ms) =>
    ctx.measureFanout({ publisher: servers[name], group: name, streams, fanouts: [10, 1], durationMs: ms });
  for (const name of names) await measure(name, ctx.quick ? 300 : 1000);
  const byName = await alternate(names, rounds(ctx), async (name) => {
    const m = await measure(name, durationMs);
    ctx.log(
      `    ${name}: ${m.cpuUsPerDelivery?.toFixed(2)} µs/delivery (kernel ${m.sysUsPerDelivery?.toFixed(2)}), p99 ${m.latency.p99} ms, lost ${m.lost}`,
    );
    return m;
  });
  await stopAll(ctx, servers);
  return {
    params: { clients: n, groups, offered, durationMs, rounds: rounds(ctx), contenders: names },
    memory,
    contenders: summarize(byName, FANOUT_METRICS),
  };
}

/** @param {BenchContext} ctx */
async function s5(ctx) {
  const n = ctx.quick ? 200 : 1000;
  const perConnRate = 20;
  const durationMs = ctx.quick ? 1000 : 4000;
  const names = [
    ...fanoutContenders(ctx, { noise: !ctx.quick }),
    ...(ctx.tracklight && !ctx.quick ? ['tracklight-quiet'] : []),
    'nest',
  ];
  const servers = await startAll(ctx, names);
  for (const name of names) await ctx.connectClients(name, servers[name], 'connect', n);
  const measure = (/** @type {string} */ name, /** @type {number} */ ms) =>
    ctx.measureInbound({
      server: servers[name],
      group: name,
      kind: servers[name].spec.kind,
      perConnRate,
      durationMs: ms,
    });
  for (const name of names) await measure(name, ctx.quick ? 300 : 1000);
  const byName = await alternate(names, rounds(ctx), async (name) => {
    const m = await measure(name, durationMs);
    ctx.log(`    ${name}: ${m.cpuUsPerMessage.toFixed(2)} µs/message, ${m.replies}/${m.sent} replies`);
    return m;
  });
  await stopAll(ctx, servers);
  return {
    params: { clients: n, perConnRate, offered: n * perConnRate, durationMs, rounds: rounds(ctx), contenders: names },
    contenders: summarize(byName, ['cpuUsPerMessage', 'replies', 'sent', 'generatorCpu']),
  };
}

/** @param {BenchContext} ctx */
async function s6(ctx) {
  const base = ctx.quick ? 200 : 1000;
  const rate = ctx.quick ? 250 : 500;
  const tracklightTotal = ctx.args.churnTotal ?? (ctx.quick ? 500 : 100_000);
  // the references only need enough churn for a stable connect latency and memory trend
  const totalFor = (/** @type {string} */ name) =>
    name === 'tracklight' ? tracklightTotal : Math.min(tracklightTotal, 30_000);
  const lifetimeMs = ctx.quick ? 500 : 1000;
  const eventRate = 20;
  // the quick look leaves Socket.IO out of the long single-run scenarios
  const names = [...(ctx.tracklight ? ['tracklight'] : []), 'ws', ...(ctx.quick ? [] : ['socketio'])];
  /** @type {Record<string, object>} */
  const out = {};
  for (const name of names) {
    const total = totalFor(name);
    // Tracklight with its resume history bounded (run.mjs, 'tracklight-churn'): see there why
    const server = await ctx.startServer(name, name === 'tracklight' ? 'tracklight-churn' : name);
    await ctx.connectClients(name, server, 'packages', base);
    const streams = [{ topics: PACKAGES, rate: eventRate }];
    await ctx.measureFanout({
      publisher: server,
      group: name,
      streams,
      fanouts: [base],
      durationMs: ctx.quick ? 300 : 1000,
    });
    // one churn pass first, so lazily grown pools are in the baseline rather than counted as leak
    await ctx.genFor(`${name}-warm`).call('churn', {
      group: `${name}-warm`,
      kind: server.spec.kind,
      port: server.port,
      path: server.spec.paths.packages,
      endpoint: 'packages',
      rate,
      total: Math.max(ctx.quick ? rate : rate * 2, Math.round(total / 10)),
      lifetimeMs,
      secret: ctx.secret,
      userBase: 2_000_000,
      indexBase: 0,
    });
    await ctx.sleep(ctx.quick ? 500 : 1500);
    await server.call('gcUsage');
    const before = await server.call('gcUsage');
    const profiling = await ctx.startProfile(server);
    const cpu0 = await server.call('usage');
    const durationMs = (total / rate) * 1000 + lifetimeMs;
    const [churn, pub] = await Promise.all([
      ctx.genFor(`${name}-churn`).call('churn', {
        group: `${name}-churn`,
        kind: server.spec.kind,
        port: server.port,
        path: server.spec.paths.packages,
        endpoint: 'packages',
        rate,
        total,
        lifetimeMs,
        secret: ctx.secret,
        userBase: 1_000_000,
        indexBase: 0,
      }),
      server.call('publish', { streams, durationMs }),
    ]);
    const cpu1 = await server.call('usage');
    if (profiling) await ctx.stopProfile(server, `churn-${name}`);
    await ctx.sleep(ctx.quick ? 500 : 2000);
    await server.call('gcUsage');
    const after = await server.call('gcUsage');
    const broadcast = await ctx.genFor(name).call('report', { group: name });
    out[name] = {
      total,
      churn,
      published: pub.published[0],
      maxRss: pub.maxRss,
      before,
      after,
      rssGrowthPct: ((after.rss - before.rss) / before.rss) * 100,
      heapGrowthPct: ((after.heapUsed - before.heapUsed) / before.heapUsed) * 100,
      cpuUsPerConnect: (cpu1.cpuUs - cpu0.cpuUs) / total,
      broadcastLatency: broadcast.latency,
    };
    ctx.log(
      `    ${name}: connect p99 ${churn.connect.p99} ms, ${churn.failed} failed, RSS ${(before.rss / 2 ** 20).toFixed(1)} -> ${(after.rss / 2 ** 20).toFixed(1)} MiB, heap ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB`,
    );
    await ctx.stopServer(server);
    await ctx.genFor(name).call('close', { group: name });
  }
  return { params: { base, rate, total: tracklightTotal, lifetimeMs, eventRate, contenders: names }, contenders: out };
}

/**
 * How many clients the server's own log says it closed with 4409 so far.
 * @param {BenchContext} ctx
 * @param {string} name
 */
function closed4409(ctx, name) {
  return name.startsWith('tracklight') ? (ctx.logOf(name).match(/"code":4409/g) ?? []).length : 0;
}

/**
 * S7: 1 % of the clients stop reading. Each round measures the same reading clients twice: with
 * nobody stalled, then next to fresh clients that connect just before and never read a byte, so
 * every round starts from the same state. After each round those are closed and the server is left
 * idle and collected, so one round's stalled clients cannot disturb the next measurement.
 */
/** @param {BenchContext} ctx */
async function s7(ctx) {
  // Few clients at a high per-client rate (~1.9 KB × 250/s ≈ 475 KB/s of backlog per stalled one).
  // On loopback the kernel takes about 3 MB of a stalled client's backlog before the server's own
  // buffering starts (Tracklight sent ~2,200 events of 1.9 KB before its 1 MiB limit closed one),
  // and that part disturbs nobody: it is published unmeasured (`fillMs`), so the measured window
  // covers the server's own buffering and, for Tracklight, the 4409 close. The quick look stalls
  // 1 of 25 clients at 1,000 events/s so that its short windows reach the close too.
  const n = ctx.quick ? 25 : 200;
  const slowCount = Math.max(1, Math.round(n / 100));
  const readers = n - slowCount;
  const perClientRate = ctx.quick ? 1000 : 250;
  const padding = 1500;
  // 3 rounds of all three contenders take under 4 minutes
  const durationMs = ctx.quick ? 2000 : 7000;
  const fillMs = ctx.quick ? 1000 : 4000;
  const names = [...(ctx.tracklight ? ['tracklight'] : []), 'ws', ...(ctx.quick ? [] : ['socketio'])];
  const servers = await startAll(ctx, names);
  for (const name of names) await ctx.connectClients(name, servers[name], 'packages', readers);
  const streams = [{ topics: PACKAGES, rate: perClientRate }];
  const measure = (/** @type {string} */ name, /** @type {number} */ ms) =>
    ctx.measureFanout({ publisher: servers[name], group: name, streams, fanouts: [readers], durationMs: ms, padding });
  for (const name of names) await measure(name, ctx.quick ? 300 : 1000);
  const byName = await alternate(names, rounds(ctx), async (name, round) => {
    const server = servers[name];
    const gen = ctx.genFor(name);
    const stalled = `${name}-stalled`;
    const baseline = await measure(name, durationMs);
    const closedBefore = closed4409(ctx, name);
    await ctx.connectClients(stalled, server, 'packages', slowCount, {
      via: name,
      userBase: 1_000_000 + round * slowCount,
    });
    await gen.call('pause', { group: stalled, count: slowCount });
    const fill = await server.call('publish', { streams, durationMs: fillMs, padding });
    await ctx.settle(server);
    const slow = await measure(name, durationMs);
    const resumed = await gen.call('resume', { group: stalled, waitMs: ctx.quick ? 1000 : 1500 });
    // A stalled client cannot read the close frame queued behind its backlog; the gateway then
    // drops the socket after a grace period, so the close code is also taken from its own log.
    const serverClosed4409 = closed4409(ctx, name) - closedBefore;
    await gen.call('close', { group: stalled });
    await ctx.settle(server);
    await server.call('gcUsage');
    const m = {
      baseline,
      slow,
      slowClients: resumed.codes,
      serverClosed4409,
      p99Ratio: slow.latency.p99 / baseline.latency.p99,
      stalledMaxRss: Math.max(fill.maxRss, slow.maxRss),
      /** @type {number | undefined} set just below, from stalledMaxRss */
      rssGrowthMiB: undefined,
    };
    m.rssGrowthMiB = (m.stalledMaxRss - baseline.maxRss) / 2 ** 20;
    ctx.log(
      `    ${name}: p99 ${baseline.latency.p99} -> ${slow.latency.p99} ms (${m.p99Ratio.toFixed(2)}), max RSS ${(baseline.maxRss / 2 ** 20).toFixed(0)} -> ${(m.stalledMaxRss / 2 ** 20).toFixed(0)} MiB, stalled clients ${JSON.stringify(resumed.codes)}${serverClosed4409 ? `, server log: ${serverClosed4409}x 4409` : ''}`,
    );
    return m;
  });
  await stopAll(ctx, servers);
  return {
    params: {
      clients: n,
      readers,
      slowCount,
      offered: n * perClientRate,
      padding,
      durationMs,
      fillMs,
      rounds: rounds(ctx),
      contenders: names,
    },
    contenders: summarize(byName, [
      'p99Ratio',
      'baseline.latency.p99',
      'slow.latency.p99',
      'rssGrowthMiB',
      'stalledMaxRss',
      'slow.lost',
    ]),
  };
}

/** @param {BenchContext} ctx */
async function s8(ctx) {
  if (!ctx.tracklight || !ctx.redisBusPresent()) {
    return { skipped: 'the Redis event bus has not landed in apps/gateway/src/bus: not run' };
  }
  const n = ctx.quick ? 200 : 1000;
  const offered = ctx.quick ? 10_000 : 20_000;
  const durationMs = ctx.quick ? 700 : 4000;
  const streams = [{ topics: PACKAGES, rate: offered / n }];
  /** @type {Record<string, Proc>} */
  const servers = {
    tracklight: await ctx.startServer('tracklight', 'tracklight'),
    'tracklight-redis-1': await ctx.startServer('tracklight-redis-1', 'tracklight-redis'),
    'tracklight-redis-2': await ctx.startServer('tracklight-redis-2', 'tracklight-redis'),
  };
  if (!ctx.quick) {
    servers.socketio = await ctx.startServer('socketio', 'socketio');
    servers['socketio-redis-1'] = await ctx.startServer('socketio-redis-1', 'socketio-redis');
    servers['socketio-redis-2'] = await ctx.startServer('socketio-redis-2', 'socketio-redis');
  }
  /** @type {Record<string, { publisher: Proc, cpuServers: Proc[] }>} */
  const setups = {
    tracklight: { publisher: servers.tracklight, cpuServers: [servers.tracklight] },
    'tracklight-redis': {
      publisher: servers['tracklight-redis-1'],
      cpuServers: [servers['tracklight-redis-1'], servers['tracklight-redis-2']],
    },
  };
  if (!ctx.quick) {
    setups.socketio = { publisher: servers.socketio, cpuServers: [servers.socketio] };
    setups['socketio-redis'] = {
      publisher: servers['socketio-redis-1'],
      cpuServers: [servers['socketio-redis-1'], servers['socketio-redis-2']],
    };
  }
  for (const [name, setup] of Object.entries(setups)) {
    const share = n / setup.cpuServers.length;
    let userBase = 0;
    for (const s of setup.cpuServers) {
      await ctx.connectClients(name, s, 'packages', share, { userBase });
      userBase += share;
    }
  }
  const names = Object.keys(setups);
  const measure = (/** @type {string} */ name, /** @type {number} */ ms) =>
    ctx.measureFanout({ ...setups[name], group: name, streams, fanouts: [n], durationMs: ms });
  for (const name of names) await measure(name, ctx.quick ? 300 : 1000);
  const byName = await alternate(names, rounds(ctx), async (name) => {
    const m = await measure(name, durationMs);
    ctx.log(`    ${name}: p99 ${m.latency.p99} ms, ${m.cpuUsPerEvent?.toFixed(0)} µs CPU/event, lost ${m.lost}`);
    return m;
  });
  await stopAll(ctx, servers);
  await ctx.cleanupRedis?.();
  return {
    params: { clients: n, offered, durationMs, rounds: rounds(ctx), contenders: names },
    contenders: summarize(byName, [...FANOUT_METRICS, 'cpuUsPerEvent']),
  };
}

/** @type {Record<string, import('./types.mjs').Scenario>} */
export const scenarios = {
  S1S2: { title: 'S1 idle memory per connection + S2 one-topic fan-out', run: s1s2 },
  S3: { title: 'S3 saturation ladder, 1,000 clients', run: s3 },
  S3b: { title: 'S3b saturation ladder with send coalescing, 100 clients', run: s3b },
  S4: { title: 'S4 sparse fan-out over 1,000 topics + personal topics', run: s4 },
  S5: { title: 'S5 inbound client messages', run: s5 },
  S6: { title: 'S6 connection churn during a broadcast', run: s6 },
  S7: { title: 'S7 1 % slow consumers', run: s7 },
  S8: { title: 'S8 two instances over Redis', run: s8 },
  S9: { title: 'S9 ingest: single and batched scans against plain Nest + TypeORM and bare node:http', run: s9 },
};
