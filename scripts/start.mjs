// `npm start`: build when needed, then run with the embedded defaults (SQLite, in-process bus, simulator, dashboard).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} dir
 * @returns {number}
 */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Build outputs are not sources: the dashboard's dist is newer than the gateway's main.js.
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
}

const entry = 'dist/apps/gateway/src/main.js';
const sources = ['apps', 'libs'].filter(existsSync).map(newest);
const stale = !existsSync(entry) || Math.max(...sources) > statSync(entry).mtimeMs;
if (stale) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const env = { SIMULATOR: 'on', ...process.env };
// The gateway's V8 flags (docs/operations.md, "Memory and the collector"), as start:prod and the Dockerfile pass them.
const flags = JSON.parse(readFileSync(new URL('../apps/gateway/node-flags.json', import.meta.url), 'utf8'));
const child = spawn(process.execPath, [...flags, entry], { stdio: 'inherit', env });
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
