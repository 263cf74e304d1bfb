import type { Severity } from '@tracklight/protocol';
import {
  CLEAR,
  KEEP,
  clamp01,
  fire,
  hours,
  isFinal,
  severityFor,
  type AnomalyRule,
  type RuleInput,
  type Verdict,
} from './anomaly-rule.js';

/** Silence as a multiple of the threshold at which medium, high and critical start (never low). */
const SEVERITY_RATIO: [number, number, number] = [0, 2, 4];

const ACTIONS: Record<Severity, (carrier: string, location: string) => string> = {
  low: (c, l) => `Request a scan from ${c} at ${l}.`,
  medium: (c, l) => `Request a trace from ${c} at ${l} (last scan) and check the facility for a missed scan.`,
  high: (c, l) =>
    `Escalate a trace with ${c}: have ${l} search for the parcel and check for a damaged or unreadable label.`,
  critical: (c, l) =>
    `Treat as lost: open a claim with ${c}, have ${l} search for the parcel, and prepare a replacement shipment.`,
};

/** A package that is not final and has had no scan for longer than the threshold. */
export class StuckPackageRule implements AnomalyRule {
  readonly type = 'stuck_package';
  readonly scanHistory = 0;

  constructor(private readonly stuckAfterMs: number) {}

  evaluate({ trigger, package: pkg, now }: RuleInput): Verdict {
    if (isFinal(pkg.status)) return CLEAR;
    // A scan proves the parcel moves again; a rejected scan does not.
    if (trigger === 'scan') return CLEAR;
    const last = Date.parse(pkg.lastScanTime || pkg.createdAt);
    if (Number.isNaN(last)) return KEEP;
    const silentMs = now.getTime() - last;
    if (silentMs <= this.stuckAfterMs) return trigger === 'sweep' ? CLEAR : KEEP;
    const ratio = silentMs / this.stuckAfterMs;
    const severity = severityFor(ratio, SEVERITY_RATIO);
    return fire({
      severity,
      confidenceScore: clamp01(0.5 + 0.45 * Math.min(1, (ratio - 1) / 3)),
      description: `${pkg.trackingNumber} has had no scan for ${hours(silentMs)} (threshold ${hours(this.stuckAfterMs)}); last scan ${pkg.status} at ${pkg.location}.`,
      recommendedAction: ACTIONS[severity](pkg.carrier, pkg.location),
    });
  }
}
