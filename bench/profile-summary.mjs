// Summarizes a V8 .cpuprofile (written by `npm run bench -- --profile`): where the server's CPU
// went, by function and by file, as self time. Usage: node bench/profile-summary.mjs FILE [TOP]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile-summary.mjs FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
/** @type {import('./lib/types.mjs').CpuProfile} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
const totalUs = profile.endTime - profile.startTime;
const perSampleUs = totalUs / Math.max(1, profile.samples.length);

const short = (/** @type {string} */ url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(/.*\/bench\/results\/build\//, '')
    .replace(/.*\/work\/main\//, '');

/** @type {Map<string, number>} */
const byFn = new Map();
/** @type {Map<string, number>} */
const byFile = new Map();
let idle = 0;
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const us = (node.hitCount ?? 0) * perSampleUs;
  if (!us) continue;
  if (functionName === '(idle)') {
    idle += us;
    continue;
  }
  const key = `${functionName || '(anonymous)'} ${short(url)}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + us);
  const f = url ? short(url).split(':')[0] : functionName;
  byFile.set(f, (byFile.get(f) ?? 0) + us);
}
const busy = totalUs - idle;
const pct = (/** @type {number} */ us) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
/**
 * @param {string} title
 * @param {Map<string, number>} map
 */
const print = (title, map) => {
  process.stdout.write(`\n${title} (share of busy time ${(busy / 1e6).toFixed(1)} s)\n`);
  for (const [k, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${pct(us)}  ${k}\n`);
  }
};
print('self time by function', byFn);
print('self time by file', byFile);
