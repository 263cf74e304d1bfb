// Load generator process, pinned to its own core by the runner and driven over IPC. It holds
// groups of raw connections (one group per contender), counts events and records latency.
import hdr from 'hdr-histogram-js';
import { RawClient, DIALECTS, GroupStats, clientFrame } from './lib/raw-client.mjs';
import { monoUs, serveCommands, tokenFor } from './lib/common.mjs';
import { ingest, seedPackages } from './lib/ingest-client.mjs';

/**
 * The connections of one contender's group and what its `report` measures from: the time and
 * this process's CPU usage at the last `reset`, and the connections `pause` stalled.
 * @typedef {{
 *   conns: RawClient[],
 *   stats: GroupStats,
 *   since: number,
 *   cpu: NodeJS.CpuUsage | null,
 *   paused?: RawClient[],
 * }} Group
 */

/** @type {Map<string, Group>} */
const groups = new Map();

function newHist() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 100_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

/** @param {string} name */
function group(name) {
  let g = groups.get(name);
  if (!g) {
    g = { conns: [], stats: new GroupStats(newHist()), since: 0, cpu: null };
    groups.set(name, g);
  }
  return g;
}

/** @param {import('hdr-histogram-js').Histogram} hist */
function summary(hist) {
  if (hist.totalCount === 0) return { count: 0 };
  const ms = (/** @type {number} */ p) => hist.getValueAtPercentile(p) / 1000;
  return {
    count: hist.totalCount,
    p50: ms(50),
    p90: ms(90),
    p99: ms(99),
    p999: ms(99.9),
    max: hist.maxValue / 1000,
    mean: hist.mean / 1000,
  };
}

/**
 * Topics a connection subscribes to after connecting, in the contender's dialect.
 * @param {import('./lib/types.mjs').ContenderKind} kind
 * @param {import('./lib/types.mjs').SubscribePlan | undefined} plan
 * @param {number} index
 */
function subscribeFrame(kind, plan, index) {
  if (!plan || plan.mode === 'auto') return undefined;
  const topics = plan.mode === 'sparse' ? [`package:G${index % plan.groups}`, `package:P${index}`] : plan.topics;
  return clientFrame(DIALECTS[kind].msg('subscribe', { topics }));
}

/**
 * @param {Group} g
 * @param {import('./lib/types.mjs').ConnectTarget} spec
 * @param {number} index
 * @param {(err: Error | undefined, client: RawClient, us: number) => void} onDone
 */
function open(g, spec, index, onDone) {
  const token = tokenFor(spec.userBase + index, spec.secret);
  const t0 = monoUs();
  const client = new RawClient({
    port: spec.port,
    kind: spec.kind,
    path: spec.path,
    token,
    endpoint: spec.endpoint,
    stats: g.stats,
    waitSubscribed: subscribeFrame(spec.kind, spec.plan, index),
    onReady: (err) => onDone(err, client, monoUs() - t0),
  });
  return client;
}

/**
 * Opens `count` connections, at most `concurrency` handshakes in flight.
 * @param {import('./lib/types.mjs').ConnectSpec} spec
 */
function connectMany(spec) {
  const g = group(spec.group);
  /** Failed connections by error message. @type {Record<string, number>} */
  const errors = {};
  let ok = 0;
  let failed = 0;
  let started = 0;
  const connectHist = newHist();
  const t0 = Date.now();
  return new Promise((resolve) => {
    const next = () => {
      if (started >= spec.count) {
        if (ok + failed === spec.count) {
          resolve({ ok, failed, errors, ms: Date.now() - t0, connect: summary(connectHist) });
        }
        return;
      }
      const index = started++;
      open(g, spec, index, (err, client, us) => {
        if (err) {
          failed += 1;
          const key = String(err.message).slice(0, 120);
          errors[key] = (errors[key] ?? 0) + 1;
          client.socket.destroy();
        } else {
          ok += 1;
          connectHist.recordValue(Math.max(1, us));
          g.conns.push(client);
        }
        next();
      });
    };
    for (let i = 0; i < Math.min(spec.concurrency ?? 200, spec.count); i++) next();
  });
}

/**
 * Open-loop churn: `rate` new connections per second regardless of how fast the server answers;
 * each one closes itself `lifetimeMs` after it became ready. Connect latency is measured from the
 * moment the connection was due.
 * @param {import('./lib/types.mjs').ChurnSpec} spec
 */
function churn(spec) {
  const g = group(spec.group);
  const connectHist = newHist();
  /** Failed connections by error message. @type {Record<string, number>} */
  const errors = {};
  let ok = 0;
  let failed = 0;
  let started = 0;
  let live = 0;
  let maxLive = 0;
  const start = monoUs();
  const interval = 1e6 / spec.rate;
  return new Promise((resolve) => {
    const maybeDone = () => {
      if (started === spec.total && ok + failed === spec.total && live === 0) {
        resolve({ ok, failed, errors, maxLive, connect: summary(connectHist), ms: (monoUs() - start) / 1000 });
      }
    };
    const tick = () => {
      const now = monoUs();
      while (started < spec.total && start + started * interval <= now) {
        const due = start + started * interval;
        const index = started++;
        live += 1;
        maxLive = Math.max(maxLive, live);
        open(g, spec, spec.indexBase + index, (err, client) => {
          if (err) {
            failed += 1;
            live -= 1;
            const key = String(err.message).slice(0, 120);
            errors[key] = (errors[key] ?? 0) + 1;
            client.socket.destroy();
            maybeDone();
            return;
          }
          ok += 1;
          connectHist.recordValue(Math.max(1, monoUs() - due));
          setTimeout(() => {
            client.socket.once('close', () => {
              live -= 1;
              maybeDone();
            });
            client.close();
            setTimeout(() => client.socket.destroy(), 5000).unref();
          }, spec.lifetimeMs);
        });
      }
      if (started < spec.total) setTimeout(tick, 1);
    };
    tick();
  });
}

/**
 * Open-loop inbound traffic: every connection sends `perConnRate` messages/s, cycling kinds.
 * @param {{ group: string, perConnRate: number, durationMs: number, kind: import('./lib/types.mjs').ContenderKind }} spec
 * @returns {Promise<{ sent: number }>}
 */
function sendInbound({ group: name, perConnRate, durationMs, kind }) {
  const g = group(name);
  const msg = DIALECTS[kind].msg;
  const frames = [
    clientFrame(msg('subscribe', { topics: ['map_updates'] })),
    clientFrame(msg('ping')),
    clientFrame(msg('unsubscribe', { topics: ['map_updates'] })),
    clientFrame(msg('ping')),
  ];
  const conns = g.conns.filter((c) => !c.closed);
  const total = Math.round((conns.length * perConnRate * durationMs) / 1000);
  const interval = 1e6 / (conns.length * perConnRate);
  const start = monoUs();
  let sent = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = monoUs();
      while (sent < total && start + sent * interval <= now) {
        const conn = conns[sent % conns.length];
        conn.send(frames[Math.floor(sent / conns.length) % frames.length]);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve({ sent });
    };
    tick();
  });
}

/** @param {string} name */
function closeGroup(name) {
  const g = groups.get(name);
  if (!g) return Promise.resolve({ closed: 0 });
  const conns = g.conns;
  groups.delete(name);
  return Promise.all(
    conns.map(
      (c) =>
        new Promise((/** @type {(value?: void) => void} */ resolve) => {
          if (c.closed) return resolve();
          c.socket.once('close', resolve);
          c.close();
          setTimeout(() => c.socket.destroy(), 3000).unref();
        }),
    ),
  ).then(() => ({ closed: conns.length }));
}

/** @typedef {{ group: string }} GroupArgs */

/** Each command's arguments are the fields of its IPC message (lib/common.mjs serveCommands). */
const handlers = {
  connect: (/** @type {import('./lib/types.mjs').ConnectSpec} */ spec) => connectMany(spec),
  churn: (/** @type {import('./lib/types.mjs').ChurnSpec} */ spec) => churn(spec),
  send: (/** @type {Parameters<typeof sendInbound>[0]} */ spec) => sendInbound(spec),
  seedPackages: (/** @type {Parameters<typeof seedPackages>[0]} */ spec) => seedPackages(spec),
  ingest: (/** @type {import('./lib/types.mjs').IngestOptions} */ spec) => ingest(spec),
  close: (/** @type {GroupArgs} */ { group: name }) => closeGroup(name),
  reset: (/** @type {GroupArgs} */ { group: name }) => {
    const g = group(name);
    g.stats.reset();
    g.since = Date.now();
    g.cpu = process.cpuUsage();
    return true;
  },
  counts: (/** @type {GroupArgs} */ { group: name }) => {
    const g = group(name);
    return { events: g.stats.events, replies: g.stats.replies, open: g.conns.filter((c) => !c.closed).length };
  },
  report: (/** @type {GroupArgs} */ { group: name }) => {
    const g = group(name);
    const cpu = process.cpuUsage(g.cpu ?? undefined);
    const wallMs = Date.now() - g.since;
    return {
      events: g.stats.events,
      replies: g.stats.replies,
      closes: g.stats.closes,
      open: g.conns.filter((c) => !c.closed).length,
      latency: summary(g.stats.histogram()),
      generatorCpu: (cpu.user + cpu.system) / 1000 / wallMs,
      generatorCpuUs: cpu.user + cpu.system,
    };
  },
  pause: (/** @type {GroupArgs & { count: number }} */ { group: name, count }) => {
    const g = group(name);
    const slow = g.conns.slice(0, count);
    for (const c of slow) c.socket.pause();
    g.paused = slow;
    return { paused: slow.length };
  },
  resume: async (/** @type {GroupArgs & { waitMs?: number }} */ { group: name, waitMs = 3000 }) => {
    const g = group(name);
    const slow = g.paused ?? [];
    for (const c of slow) c.socket.resume();
    await new Promise((r) => setTimeout(r, waitMs));
    /** The stalled connections by close code (`open`: still open). @type {Record<string, number>} */
    const codes = {};
    for (const c of slow) {
      const key = c.closed ? String(c.closeCode) : 'open';
      codes[key] = (codes[key] ?? 0) + 1;
    }
    return { codes };
  },
  exit: () => {
    setTimeout(() => process.exit(0), 20);
    return true;
  },
};

serveCommands(handlers, {});
