// HTTP side of S9 (ingest), run inside the load generator process: creates the packages, then
// drives closed-loop senders of single scans or batches against one contender and measures what
// comes back. Every contender speaks the same three routes (POST /packages, POST
// /packages/:trackingNumber/scans, POST /scans) with a bearer token, so one client serves all.
import http from 'node:http';
import hdr from 'hdr-histogram-js';
import { monoUs, signJwt } from './common.mjs';

const ORIGIN = { name: 'Memphis Hub, TN', latitude: 35.0421, longitude: -89.9767 };
const DESTINATION = { name: 'Newark, NJ', latitude: 40.7357, longitude: -74.1724 };

/** @param {string} secret */
export function opsToken(secret) {
  return signJwt({ sub: 'bench-ingest', roles: ['ops'], exp: Math.floor(Date.now() / 1000) + 6 * 3600 }, secret);
}

/**
 * @param {http.Agent} agent
 * @param {number} port
 * @param {string} token
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<{ status: number, body: Buffer }>}
 */
function request(agent, port, token, path, body) {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': payload.length,
        },
      },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        // A client-side response always has its status code.
        res.on('end', () => resolve({ status: /** @type {number} */ (res.statusCode), body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Packages `${prefix}0..count-1`, created with `concurrency` requests at a time.
 * @param {{ port: number, secret: string, prefix: string, count: number, concurrency?: number }} options
 */
export async function seedPackages({ port, secret, prefix, count, concurrency = 8 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const token = opsToken(secret);
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < count) {
      const trackingNumber = `${prefix}${next++}`;
      const res = await request(agent, port, token, '/packages', {
        trackingNumber,
        carrier: 'UPS',
        origin: ORIGIN,
        destination: DESTINATION,
        estimatedDelivery: '2030-01-01T00:00:00.000Z',
      });
      if (res.status !== 201) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { created: count - failed, failed };
}

/**
 * Closed loop for `durationMs`: `senders` connections each sending one request at a time. In
 * `single` mode a request is one scan; in `batch` mode, `batchSize` scans. Each sender owns its own
 * slice of the packages, so every scan is a valid move (in_transit and at_facility in turn) and
 * every answer should be 201. Latency is the whole request's (a batch's answer, for batches).
 * @param {import('./types.mjs').IngestOptions} options
 */
export async function ingest({ port, secret, prefix, packages, mode, senders, batchSize = 1, durationMs, runTag }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: senders });
  const token = opsToken(secret);
  const hist = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  /** Answers by status (or error code): `201`, `409`, `batch 400`, `ECONNRESET`. @type {Record<string, number>} */
  const counts = {};
  let accepted = 0;
  let requests = 0;
  let serial = 0;
  const steps = new Map();
  const scanFor = (/** @type {string} */ trackingNumber) => {
    const k = steps.get(trackingNumber) ?? 0;
    steps.set(trackingNumber, k + 1);
    return {
      trackingNumber,
      scanId: `${runTag}-${serial++}`,
      status: k % 2 === 0 ? 'in_transit' : 'at_facility',
      location: k % 2 === 0 ? 'Louisville, KY' : 'Indianapolis, IN',
      latitude: 38.2527 + (k % 7) / 100,
      longitude: -85.7585 - (k % 7) / 100,
    };
  };
  const start = Date.now();
  const cpu0 = process.cpuUsage();
  const sender = async (/** @type {number} */ s) => {
    /** @type {string[]} */
    const mine = [];
    for (let p = s; p < packages; p += senders) mine.push(`${prefix}${p}`);
    let turn = 0;
    const send = () => {
      if (mode === 'single') {
        const { trackingNumber, ...scan } = scanFor(mine[turn++ % mine.length]);
        return request(agent, port, token, `/packages/${trackingNumber}/scans`, scan);
      }
      const scans = Array.from({ length: batchSize }, () => scanFor(mine[turn++ % mine.length]));
      return request(agent, port, token, '/scans', { scans });
    };
    while (Date.now() - start < durationMs) {
      const t0 = monoUs();
      let res;
      try {
        res = await send();
      } catch (err) {
        // A reset connection is an unanswered request: counted, and the sender goes on.
        counts[err.code ?? 'error'] = (counts[err.code ?? 'error'] ?? 0) + 1;
        continue;
      }
      if (mode === 'single') {
        counts[res.status] = (counts[res.status] ?? 0) + 1;
        if (res.status === 201) accepted++;
      } else {
        if (res.status === 200) {
          const { results } = /** @type {{ results: { status: number }[] }} */ (JSON.parse(res.body.toString('utf8')));
          for (const r of results) {
            counts[r.status] = (counts[r.status] ?? 0) + 1;
            if (r.status === 201) accepted++;
          }
        } else counts[`batch ${res.status}`] = (counts[`batch ${res.status}`] ?? 0) + 1;
      }
      requests++;
      hist.recordValue(Math.max(1, monoUs() - t0));
    }
  };
  await Promise.all(Array.from({ length: senders }, (_, s) => sender(s)));
  const seconds = (Date.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  const ms = (/** @type {number} */ p) => (hist.totalCount ? hist.getValueAtPercentile(p) / 1000 : undefined);
  return {
    accepted,
    requests,
    seconds,
    counts,
    latency: { p50: ms(50), p99: ms(99), max: hist.totalCount ? hist.maxValue / 1000 : undefined },
    generatorCpu: (cpu.user + cpu.system) / 1000 / (seconds * 1000),
  };
}
