// Aggregation across rounds: medians with their spread, and ratios between contenders.

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** { median, min, max, spreadPct: (max - min) / median } of one metric over rounds. */
export function spread(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  const m = median(v);
  if (m === undefined) return undefined;
  const min = Math.min(...v);
  const max = Math.max(...v);
  return { median: m, min, max, n: v.length, spreadPct: m === 0 ? 0 : ((max - min) / m) * 100 };
}

export function ratio(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) return undefined;
  return a / b;
}

/** Picks `path` (dot separated) out of each round result. */
export function pluck(rounds, path) {
  return rounds.map((r) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), r));
}
