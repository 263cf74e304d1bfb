// The benchmark targets (docs/benchmarks.md), as data: bench/lib/report.mjs and report-ingest.mjs
// measure, and look each threshold up here by scenario and key. A key the report asks for that
// is missing here throws, so a renamed target cannot silently drop out of the Targets table.

/** @typedef {{ op: '<=' | '>=', target: number }} Target */

/** @type {Record<string, Record<string, Target>>} */
export const TARGETS = {
  S1: {
    rssPerConnVsWs: { op: '<=', target: 1.3 },
    rssPerConnVsSocketIo: { op: '<=', target: 0.5 },
    heapPerConnVsWs: { op: '<=', target: 1.3 },
    heapPerConnVsSocketIo: { op: '<=', target: 0.5 },
  },
  S2: {
    cpuPerDeliveryVsWs: { op: '<=', target: 1.2 },
    cpuPerDeliveryVsSocketIo: { op: '<=', target: 0.6 },
    p99Ms: { op: '<=', target: 50 },
  },
  S3: {
    saturationVsWs: { op: '>=', target: 0.85 },
    saturationVsSocketIo: { op: '>=', target: 1.6 },
    capacityVsWs: { op: '>=', target: 0.85 },
    capacityVsSocketIo: { op: '>=', target: 1.6 },
  },
  S3b: {
    coalescedSaturationVsSocketIo: { op: '>=', target: 5 },
    coalescedCapacityVsSocketIo: { op: '>=', target: 5 },
  },
  S4: {
    cpuPerDeliveryVsWs: { op: '<=', target: 1.3 },
    p99VsWs: { op: '<=', target: 1.3 },
    cpuPerDeliveryVsWsNoDurable: { op: '<=', target: 1.3 },
    p99VsWsNoDurable: { op: '<=', target: 1.3 },
  },
  S5: {
    cpuPerMessageVsWs: { op: '<=', target: 2 },
    speedUpOverNest: { op: '>=', target: 2 },
    dispatchCostNestOverTracklight: { op: '>=', target: 2 },
    cpuPerMessageVsWsQuiet: { op: '<=', target: 2 },
    speedUpOverNestQuiet: { op: '>=', target: 2 },
  },
  S6: {
    rssGrowthPct: { op: '<=', target: 5 },
    heapGrowthPct: { op: '<=', target: 5 },
  },
  S7: {
    othersP99Ratio: { op: '<=', target: 1.2 },
  },
  S8: {
    addedP99Ms: { op: '<=', target: 2 },
    cpuPerEventVsSocketIoRedis: { op: '<=', target: 0.6 },
  },
  S9: {
    singleScansPerSecond: { op: '>=', target: 2000 },
    batchedScansPerSecond: { op: '>=', target: 10000 },
    cpuUsPerScanSingle: { op: '<=', target: 300 },
    cpuUsPerScanBatched: { op: '<=', target: 60 },
    scansVsNestSingle: { op: '>=', target: 3 },
    scansVsNestBatched: { op: '>=', target: 3 },
    cpuVsBareSingle: { op: '<=', target: 2 },
    cpuVsBareBatched: { op: '<=', target: 2 },
  },
};

/**
 * The target `key` of `scenario`.
 * @param {string} scenario
 * @param {string} key
 * @returns {Target}
 */
export function targetOf(scenario, key) {
  const t = TARGETS[scenario]?.[key];
  if (!t) throw new Error(`bench/targets.mjs has no target ${scenario}.${key}`);
  return t;
}

/**
 * "met", "NOT met", or "not measured" when the run has no number for it.
 * @param {unknown} value
 * @param {Target} t
 */
export function verdict(value, { op, target }) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'not measured';
  return (op === '<=' ? value <= target : value >= target) ? 'met' : 'NOT met';
}
