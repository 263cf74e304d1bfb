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

/** Hours late at which medium, high and critical start. */
const SEVERITY_HOURS: [number, number, number] = [2, 12, 48];

const ACTIONS: Record<Severity, (carrier: string) => string> = {
  low: (c) => `Watch the next ${c} scan and refresh the delivery estimate shown to the recipient.`,
  medium: (c) => `Ask ${c} for an updated delivery date and tell the recipient about the delay.`,
  high: (c) => `Escalate to ${c} operations, contact the recipient and offer a new delivery date.`,
  critical: (c) =>
    `Open a trace and a claim with ${c}, contact the recipient and prepare a replacement shipment or a refund.`,
};

/** Past estimatedDelivery and not delivered; severity and confidence grow with the hours late. */
export class DelayedDeliveryRule implements AnomalyRule {
  readonly type = 'delayed_delivery';
  readonly scanHistory = 0;

  evaluate({ package: pkg, now }: RuleInput): Verdict {
    if (isFinal(pkg.status)) return CLEAR;
    const eta = Date.parse(pkg.estimatedDelivery);
    if (Number.isNaN(eta)) return KEEP;
    const lateMs = now.getTime() - eta;
    if (lateMs <= 0) return CLEAR;
    const lateHours = lateMs / 3_600_000;
    const severity = severityFor(lateHours, SEVERITY_HOURS);
    return fire({
      severity,
      // A few minutes late may be a scan that has not arrived yet; two days late is certain.
      confidenceScore: clamp01(0.6 + 0.4 * Math.min(1, lateHours / 24)),
      description: `${pkg.trackingNumber} is ${hours(lateMs)} past its estimated delivery (${pkg.estimatedDelivery}), last seen ${pkg.status} at ${pkg.location}.`,
      recommendedAction: ACTIONS[severity](pkg.carrier),
    });
  }
}
