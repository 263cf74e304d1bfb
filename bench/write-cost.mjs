// Cost per REST write (issue 16, the event log): sequential creates and 5 scans per package on
// SQLite; wall ms and gateway CPU ms (utime+stime from /proc) per write, after 120 warm-up writes.
// Usage: node bench/write-cost.mjs <checkout> [writes]. The checkout runs from its sources through
// test/durability-support (before/after: `git archive <commit>` into a directory, node_modules linked).
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
const [dir, n = '600'] = process.argv.slice(2);
const secret = 'x'.repeat(40);
const b64 = (/** @type {unknown} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const head = b64({ alg: 'HS256', typ: 'JWT' });
const body = b64({ sub: 'bench', roles: ['ops'], exp: Math.floor(Date.now() / 1000) + 3600 });
const tok = `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
const port = 3900 + Math.floor(Math.random() * 90);
const child = spawn(
  process.execPath,
  ['--import', './test/durability-support/register.mjs', 'apps/gateway/src/main.ts'],
  {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      JWT_SECRET: secret,
      PORT: String(port),
      HOST: '127.0.0.1',
      SIMULATOR: 'off',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'wc-')),
    },
    stdio: 'ignore',
  },
);
const base = `http://127.0.0.1:${port}`;
for (;;) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {
    // not listening yet: try again
  }
  await new Promise((r) => setTimeout(r, 200));
}
const cpu = () => {
  const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
};
/**
 * @param {string} path
 * @param {unknown} b
 */
const post = async (path, b) => {
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: JSON.stringify(b),
  });
  if (r.status !== 201) throw new Error(`${r.status} ${await r.text()}`);
  await r.arrayBuffer();
};
const statuses = ['picked_up', 'in_transit', 'at_facility', 'out_for_delivery', 'delivered'];
/**
 * @param {number} count
 * @param {string} tag
 */
const run = async (count, tag) => {
  let done = 0;
  for (let p = 0; done < count; p++) {
    const tn = `WC${tag}${p}`;
    await post('/packages', {
      trackingNumber: tn,
      carrier: 'UPS',
      origin: { name: 'A', latitude: 40, longitude: -90 },
      destination: { name: 'B', latitude: 41, longitude: -91 },
      estimatedDelivery: '2030-01-01T00:00:00Z',
    });
    done++;
    for (const s of statuses) {
      if (done >= count) break;
      await post(`/packages/${tn}/scans`, { status: s, location: 'X', latitude: 40, longitude: -90 });
      done++;
    }
  }
};
await run(120, 'warm');
const c0 = cpu();
const t0 = performance.now();
await run(Number(n), 'm');
const wall = performance.now() - t0;
const used = cpu() - c0;
console.log(
  JSON.stringify({
    dir,
    writes: Number(n),
    wallMsPerWrite: +(wall / Number(n)).toFixed(3),
    cpuMsPerWrite: +(used / Number(n)).toFixed(3),
  }),
);
child.kill('SIGKILL');
process.exit(0);
