// Summarizes a sampled heap profile (`npm run bench -- --heap-profile`): bytes allocated in the
// window by allocating function, and by the deepest frame of the project's own code on the stack.
// Usage: node bench/heap-summary.mjs FILE.heapprofile [TOP]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/heap-summary.mjs FILE.heapprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
/** @type {import('node:inspector').HeapProfiler.SamplingHeapProfile} */
const { head } = JSON.parse(readFileSync(file, 'utf8'));
/** @typedef {import('node:inspector').Runtime.CallFrame} CallFrame */
const where = (/** @type {CallFrame} */ f) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/.*\/(node_modules|build|work\/main)\//, '')}:${f.lineNumber + 1}`;
const own = (/** @type {CallFrame} */ f) => /\/build\/apps\//.test(f.url);

/** @type {Map<string, number>} */
const byFn = new Map();
/** @type {Map<string, number>} */
const byOwn = new Map();
let total = 0;
/**
 * @param {import('node:inspector').HeapProfiler.SamplingHeapProfileNode} node
 * @param {string | undefined} ownFrame
 */
const walk = (node, ownFrame) => {
  const frame = own(node.callFrame) ? where(node.callFrame) : ownFrame;
  if (node.selfSize) {
    total += node.selfSize;
    const key = where(node.callFrame);
    byFn.set(key, (byFn.get(key) ?? 0) + node.selfSize);
    byOwn.set(frame ?? '(no project frame)', (byOwn.get(frame ?? '(no project frame)') ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, frame);
};
walk(head, undefined);
/**
 * @param {string} title
 * @param {Map<string, number>} map
 */
const print = (title, map) => {
  process.stdout.write(`\n${title} (${(total / 2 ** 20).toFixed(1)} MiB sampled)\n`);
  for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${(bytes / 2 ** 20).toFixed(2).padStart(8)} MiB  ${key}\n`);
  }
};
print('by allocating function', byFn);
print("by the project's deepest frame", byOwn);
