// Aggregation across rounds: medians with their spread, and ratios between contenders.

/**
 * @param {unknown} x
 * @returns {x is number}
 */
const isFiniteNumber = (x) => typeof x === 'number' && Number.isFinite(x);

/** @param {readonly unknown[]} values non-numbers and non-finite values (a failed round) are skipped */
export function median(values) {
  const v = values.filter(isFiniteNumber).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * { median, min, max, spreadPct: (max - min) / median } of one metric over rounds.
 * @param {readonly unknown[]} values
 * @returns {import('./types.mjs').Spread | undefined}
 */
export function spread(values) {
  const v = values.filter(isFiniteNumber);
  const m = median(v);
  if (m === undefined) return undefined;
  const min = Math.min(...v);
  const max = Math.max(...v);
  return { median: m, min, max, n: v.length, spreadPct: m === 0 ? 0 : ((max - min) / m) * 100 };
}

/**
 * @param {unknown} a
 * @param {unknown} b
 */
export function ratio(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return undefined;
  return a / b;
}

/**
 * Picks `path` (dot separated) out of each round result.
 * @param {readonly unknown[]} rounds
 * @param {string} path
 * @returns {unknown[]}
 */
export function pluck(rounds, path) {
  return rounds.map((r) => path.split('.').reduce((/** @type {any} */ o, k) => (o == null ? undefined : o[k]), r));
}
