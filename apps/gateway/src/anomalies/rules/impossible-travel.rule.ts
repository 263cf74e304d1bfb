import type { Severity } from '@tracklight/protocol';
import { haversineKm } from '../../geo/great-circle.js';
import {
  CLEAR,
  KEEP,
  clamp01,
  fire,
  severityFor,
  type AnomalyRule,
  type RuleInput,
  type Verdict,
} from './anomaly-rule.js';

/** Below this, two scans are the same place give or take GPS error, whatever the time between them. */
const MIN_DISTANCE_KM = 5;
/** Speed as a multiple of the limit at which medium, high and critical start (never low). */
const SEVERITY_RATIO: [number, number, number] = [0, 2, 5];

const ACTIONS: Record<Severity, (location: string, previous: string) => string> = {
  low: (l) => `Check the scanner clock and GPS at ${l}.`,
  medium: (l, p) =>
    `Check the scanner clock and GPS at ${l} and ${p}; correct the scan time or location if one was mis-keyed.`,
  high: (l, p) =>
    `Hold the parcel at ${l}, confirm its label against the one scanned at ${p}: a duplicated or cloned label is likely.`,
  critical: (l, p) =>
    `Hold the parcel at ${l} and open a security review: scans at ${l} and ${p} cannot be the same parcel (cloned label or fraud).`,
};

/** Two consecutive scans whose distance and time imply a speed above the limit. */
export class ImpossibleTravelRule implements AnomalyRule {
  readonly type = 'impossible_travel';
  readonly scanHistory = 0;

  constructor(private readonly maxSpeedKmh: number) {}

  evaluate({ trigger, package: pkg, scan, previousScan }: RuleInput): Verdict {
    if (trigger !== 'scan' || !scan || !previousScan) return KEEP;
    const km = haversineKm(previousScan, scan);
    const elapsedMs = Date.parse(scan.scannedAt) - Date.parse(previousScan.scannedAt);
    if (km < MIN_DISTANCE_KM) return CLEAR;
    const speed = elapsedMs > 0 ? km / (elapsedMs / 3_600_000) : Infinity;
    if (speed <= this.maxSpeedKmh) return CLEAR;
    const ratio = speed / this.maxSpeedKmh;
    const severity = severityFor(ratio, SEVERITY_RATIO);
    const implied = Number.isFinite(speed) ? `${Math.round(speed).toLocaleString('en-US')} km/h` : 'no time at all';
    return fire({
      severity,
      confidenceScore: clamp01(Math.min(0.99, 1 - 0.5 / ratio)),
      description: `${pkg.trackingNumber} was scanned at ${scan.location} ${Math.round(km)} km from its previous scan at ${previousScan.location}, implying ${implied} (limit ${this.maxSpeedKmh} km/h).`,
      recommendedAction: ACTIONS[severity](scan.location, previousScan.location),
    });
  }
}
