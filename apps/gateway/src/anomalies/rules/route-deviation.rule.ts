import type { Severity } from '@tracklight/protocol';
import { haversineKm } from '../../geo/great-circle.js';
import {
  CLEAR,
  KEEP,
  clamp01,
  fire,
  isFinal,
  severityFor,
  type AnomalyRule,
  type RuleInput,
  type Verdict,
} from './anomaly-rule.js';

/** Changes smaller than this are GPS noise, not movement towards or away from the destination. */
const TOLERANCE_KM = 2;
/** Growth of the distance, relative to where the streak began, at which medium, high and critical start. */
const SEVERITY_GROWTH: [number, number, number] = [0.25, 0.5, 1];

const ACTIONS: Record<Severity, (carrier: string, destination: string) => string> = {
  low: (c, d) => `Confirm with ${c} dispatch that the detour towards ${d} is planned.`,
  medium: (c, d) => `Contact ${c} dispatch to confirm the route to ${d}; check the sort code on the label.`,
  high: (c, d) =>
    `Have ${c} intercept and re-sort the parcel at the next facility: it is moving away from ${d}, likely misrouted.`,
  critical: (c, d) =>
    `Intercept with ${c} now and re-route to ${d}; tell the recipient to expect a delay (the parcel is heading the wrong way).`,
};

/** The distance to the destination grew over `consecutiveScans` scans in a row. */
export class RouteDeviationRule implements AnomalyRule {
  readonly type = 'route_deviation';
  readonly scanHistory: number;

  constructor(private readonly consecutiveScans: number) {
    this.scanHistory = consecutiveScans + 1;
  }

  evaluate({ trigger, package: pkg, recentScans }: RuleInput): Verdict {
    if (isFinal(pkg.status)) return CLEAR;
    if (trigger !== 'scan' || !recentScans || recentScans.length < 2) return KEEP;
    const distances = recentScans.slice(0, this.scanHistory).map((s) => haversineKm(s, pkg.destination));
    // distances[0] is the newest scan.
    if (distances[0] < distances[1] - TOLERANCE_KM) return CLEAR;
    if (distances.length < this.scanHistory) return KEEP;
    for (let i = 0; i < this.consecutiveScans; i++) {
      if (distances[i] <= distances[i + 1] + TOLERANCE_KM) return KEEP;
    }
    const start = distances[this.consecutiveScans];
    const now = distances[0];
    const growth = (now - start) / Math.max(start, 1);
    const severity = severityFor(growth, SEVERITY_GROWTH);
    return fire({
      severity,
      confidenceScore: clamp01(0.55 + 0.4 * Math.min(1, growth)),
      description: `${pkg.trackingNumber} moved away from ${pkg.destination.name} on ${this.consecutiveScans} consecutive scans: ${Math.round(start)} km to ${Math.round(now)} km, now at ${recentScans[0].location}.`,
      recommendedAction: ACTIONS[severity](pkg.carrier, pkg.destination.name),
    });
  }
}
