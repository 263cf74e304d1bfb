// Finds the long tasks in a V8 .cpuprofile (from `npm run bench -- --profile`): stretches where the
// event loop never went idle for at least MIN_MS, with what ran in each (self time by function).
// A p99 pause the generator sees is one of these, or time the server was not scheduled at all.
// Usage: node bench/long-tasks.mjs FILE.cpuprofile [MIN_MS=8] [TOP=6]
import { readFileSync } from 'node:fs';

const [file, minArg, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/long-tasks.mjs FILE.cpuprofile [MIN_MS] [TOP]\n');
  process.exit(2);
}
const minUs = Number(minArg ?? 8) * 1000;
const top = Number(topArg ?? 6);
/** @typedef {import('node:inspector').Profiler.ProfileNode} ProfileNode */
/** @type {import('./lib/types.mjs').CpuProfile} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const label = (/** @type {ProfileNode} */ n) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|build)\//, '');
  return `${functionName || '(anonymous)'}${where ? ` ${where}:${lineNumber + 1}` : ''}`;
};

/** @typedef {{ start: number, end: number, self: Map<string, number> }} Task */
/** @type {Task[]} */
const tasks = [];
/** @type {Task | undefined} */
let current;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  // every sample is the id of one of the profile's nodes
  const node = /** @type {ProfileNode} */ (nodes.get(profile.samples[i]));
  if (node.callFrame.functionName === '(idle)') {
    if (current && current.end - current.start >= minUs) tasks.push(current);
    current = undefined;
    continue;
  }
  current ??= { start: t - dt, end: t, self: new Map() };
  current.end = t;
  const key = label(node);
  current.self.set(key, (current.self.get(key) ?? 0) + dt);
}
if (current && current.end - current.start >= minUs) tasks.push(current);

const ms = (/** @type {number} */ us) => (us / 1000).toFixed(1);
process.stdout.write(
  `${tasks.length} tasks of ${ms(minUs)} ms or more in ${ms(profile.endTime - profile.startTime)} ms of profile\n`,
);
for (const task of tasks.sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, 20)) {
  process.stdout.write(`\n${ms(task.end - task.start)} ms at +${ms(task.start - profile.startTime)} ms\n`);
  const ranked = [...task.self].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, us] of ranked) process.stdout.write(`  ${ms(us).padStart(7)} ms  ${key}\n`);
}
