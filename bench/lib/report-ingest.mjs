// S9 (ingest) in docs/benchmarks.md: its target rows and its table.
import { targetOf, verdict } from '../targets.mjs';
import { ratio } from './stats.mjs';

/** @typedef {import('./types.mjs').BenchResults} BenchResults */

const f = (/** @type {unknown} */ v, digits = 0) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a';

/**
 * The ingest targets (docs/benchmarks.md, "Ingest (S9)") this run has data for: [scenario, measure, value, target, verdict].
 * @param {BenchResults} res
 * @returns {string[][]}
 */
export function ingestTargets(res) {
  const c = res.scenarios.S9?.contenders;
  if (!c) return [];
  /** @type {string[][]} */
  const rows = [];
  /**
   * @param {string} measure
   * @param {number | undefined} value
   * @param {string} key
   */
  const add = (measure, value, key, digits = 0) => {
    const t = targetOf('S9', key);
    rows.push(['S9', measure, f(value, digits), `${t.op} ${t.target}`, verdict(value, t)]);
  };
  for (const [name, bare] of [
    ['tracklight-sqlite', 'bare-sqlite'],
    ['tracklight-pg', 'bare-pg'],
  ]) {
    const t = c[name];
    if (!t?.single) continue;
    add(`${name} single scans/s (32 senders)`, t.single.scansPerSecond, 'singleScansPerSecond');
    add(`${name} batched scans/s (500 per batch, 4 in flight)`, t.batch.scansPerSecond, 'batchedScansPerSecond');
    add(`${name} CPU µs/scan, single`, t.single.cpuUsPerScan, 'cpuUsPerScanSingle');
    add(`${name} CPU µs/scan, batched`, t.batch.cpuUsPerScan, 'cpuUsPerScanBatched');
    const nest = c['nest-typeorm'];
    if (nest?.single) {
      add(
        `${name} scans/s vs nest-typeorm, single`,
        ratio(t.single.scansPerSecond, nest.single.scansPerSecond),
        'scansVsNestSingle',
        2,
      );
      add(
        `${name} scans/s vs nest-typeorm, batched`,
        ratio(t.batch.scansPerSecond, nest.batch.scansPerSecond),
        'scansVsNestBatched',
        2,
      );
    }
    const b = c[bare];
    if (b?.single) {
      add(
        `${name} CPU/scan vs ${bare}, single`,
        ratio(t.single.cpuUsPerScan, b.single.cpuUsPerScan),
        'cpuVsBareSingle',
        2,
      );
      add(
        `${name} CPU/scan vs ${bare}, batched`,
        ratio(t.batch.cpuUsPerScan, b.batch.cpuUsPerScan),
        'cpuVsBareBatched',
        2,
      );
    }
  }
  return rows;
}

const statuses = (/** @type {Record<string, number> | undefined} */ counts) =>
  Object.entries(counts ?? {})
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');

/**
 * The S9 section: one row per contender and mode.
 * @param {BenchResults} res
 * @param {(header: string[], rows: unknown[][]) => string} table
 */
export function ingestSection(res, table) {
  const s9 = res.scenarios.S9;
  if (!s9) return undefined;
  if (!s9.contenders) return `### S9\n\n${s9.skipped ?? `Failed: ${s9.error}`}\n`;
  const p = s9.params;
  const rows = [];
  for (const [name, c] of Object.entries(s9.contenders)) {
    if (c.error) {
      rows.push([name, 'failed', c.error, '', '', '', '']);
      continue;
    }
    for (const [mode, m] of [
      [`single (${p.single.senders} senders)`, c.single],
      [`batch (${p.batch.batchSize} × ${p.batch.senders} in flight)`, c.batch],
    ]) {
      rows.push([
        name,
        mode,
        f(m.scansPerSecond),
        f(m.cpuUsPerScan),
        f(m.serverCpuShare * 100),
        `${f(m.p50Ms, 1)} / ${f(m.p99Ms, 1)}`,
        statuses(m.counts),
      ]);
    }
  }
  return [
    `### S9: ingest, ${p.packages} packages, ${p.single.durationMs / 1000} s per measurement, ${p.rounds} round\n`,
    table(
      ['contender', 'mode', 'scans/s', 'server CPU µs/scan', 'server CPU %', 'answer p50 / p99 ms', 'answers'],
      rows,
    ),
    '',
    'Scans/s and CPU count accepted scans (201) only. `nest-typeorm` is bench/servers/nest-typeorm-ingest.mjs (SQLite),',
    '`bare-*` bench/servers/bare-ingest.mjs (node:http, prepared statements / set-based SQL, group commit).',
    '',
  ].join('\n');
}
