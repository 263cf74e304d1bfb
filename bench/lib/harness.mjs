// Control channel of a contender server: the runner drives it over the IPC channel of the child
// process (never over the port clients use), so no contender carries a publish backdoor.
// Publishing is open-loop: each event is stamped with the time it was *due*, so a server that
// falls behind shows its backlog as latency instead of silently slowing the offered load.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monoUs, packageUpdate, serveCommands } from './common.mjs';

/** @type {Session | undefined} */
let session;
/**
 * @param {string} method
 * @param {object} [params]
 * @returns {Promise<any>}
 */
const post = (method, params) =>
  new Promise((resolve, reject) =>
    /** @type {Session} */ (session).post(method, params, (err, res) =>
      err ? reject(new Error(String(err.message))) : resolve(res),
    ),
  );

/**
 * Profilers of one measurement window only (not of the start-up): `cpu` for `--profile`, `heap`
 * for `--heap-profile`, sampled allocations counting objects the collector already freed (those a
 * full collection freed are what outlived the young generation, the old generation's churn).
 */
/** @type {Record<ProfileKind, { start: [string, object?][], stop: string }>} */
const PROFILERS = {
  cpu: {
    start: [['Profiler.enable'], ['Profiler.setSamplingInterval', { interval: 200 }], ['Profiler.start']],
    stop: 'Profiler.stop',
  },
  heap: {
    start: [
      ['HeapProfiler.enable'],
      [
        'HeapProfiler.startSampling',
        { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false },
      ],
    ],
    stop: 'HeapProfiler.stopSampling',
  },
};

/** @typedef {'cpu' | 'heap'} ProfileKind */

/** @param {{ kind?: ProfileKind }} args */
async function profileStart({ kind = 'cpu' }) {
  session ??= new Session();
  session.connect();
  for (const [method, params] of PROFILERS[kind].start) await post(method, params);
  return true;
}

/** @param {{ kind?: ProfileKind, file: string }} args */
async function profileStop({ kind = 'cpu', file }) {
  const { profile } = await post(PROFILERS[kind].stop);
  session?.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

function gc() {
  if (typeof global.gc === 'function') {
    global.gc();
    global.gc();
  }
}

function usage() {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  const res = process.resourceUsage();
  return {
    cpuUs: cpu.user + cpu.system,
    sysUs: cpu.system,
    // kernel-time suspects: page faults (heap pages touched afresh) and context switches
    minorFaults: res.minorPageFault,
    switches: res.voluntaryContextSwitches + res.involuntaryContextSwitches,
    rss: mem.rss,
    heapUsed: mem.heapUsed,
    external: mem.external,
  };
}

/**
 * streams: [{ topics: string[], rate: events/s }]; events of a stream go round-robin over its
 * topics. Resolves with the number of events published per stream.
 */
/**
 * @param {import('./types.mjs').Contender['publish']} publish
 * @param {import('./types.mjs').Stream[]} streams
 * @param {number} durationMs
 * @param {number} padding
 * @param {number} seqBase
 * @returns {Promise<import('./types.mjs').PublishResult>}
 */
function runPublish(publish, streams, durationMs, padding, seqBase) {
  return new Promise((resolve) => {
    const start = monoUs();
    const state = streams.map((s) => ({
      topics: s.topics,
      interval: 1e6 / s.rate,
      total: Math.max(1, Math.round((s.rate * durationMs) / 1000)),
      sent: 0,
    }));
    let seq = seqBase;
    let maxRss = process.memoryUsage().rss;
    let maxLagUs = 0;
    let ticks = 0;
    const tick = () => {
      const now = monoUs();
      let next = Infinity;
      let open = false;
      for (const s of state) {
        while (s.sent < s.total) {
          const due = start + s.sent * s.interval;
          if (due > now) break;
          maxLagUs = Math.max(maxLagUs, now - due);
          publish(s.topics[s.sent % s.topics.length], packageUpdate(seq++, Math.round(due), padding));
          s.sent += 1;
        }
        if (s.sent < s.total) {
          open = true;
          next = Math.min(next, start + s.sent * s.interval);
        }
      }
      if ((ticks++ & 63) === 0) maxRss = Math.max(maxRss, process.memoryUsage.rss());
      if (!open) {
        resolve({ published: state.map((s) => s.sent), maxRss, maxLagMs: maxLagUs / 1000, seq });
        return;
      }
      setTimeout(tick, Math.max(0, Math.floor((next - monoUs()) / 1000)));
    };
    tick();
  });
}

/**
 * contender: { publish(topic, data), stats?(): object, port }. Commands arrive as
 * { id, cmd, ...args } and are answered with { id, result } or { id, error }.
 */
/** @param {import('./types.mjs').Contender} contender */
export function serveControl(contender) {
  let seq = 0;
  const handlers = {
    usage: () => usage(),
    gcUsage: () => {
      gc();
      return usage();
    },
    extra: () => (contender.stats ? contender.stats() : {}),
    publish: async (
      /** @type {{ streams: import('./types.mjs').Stream[], durationMs: number, padding?: number }} */ {
        streams,
        durationMs,
        padding = 0,
      },
    ) => {
      const result = await runPublish(contender.publish, streams, durationMs, padding, seq);
      seq = result.seq;
      return result;
    },
    profileStart,
    profileStop,
    exit: () => {
      setTimeout(() => process.exit(0), 50);
      return true;
    },
  };
  serveCommands(handlers, { port: contender.port });
}
