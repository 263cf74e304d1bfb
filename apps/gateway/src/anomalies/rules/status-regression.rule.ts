import { CLEAR, KEEP, fire, isFinal, type AnomalyRule, type RuleInput, type Verdict } from './anomaly-rule.js';

/** A scan tried to move the package backwards or out of a final state, and was rejected. */
export class StatusRegressionRule implements AnomalyRule {
  readonly type = 'status_regression';
  readonly scanHistory = 0;

  evaluate({ trigger, package: pkg, rejected }: RuleInput): Verdict {
    // The next accepted scan puts the package back on a valid path.
    if (trigger === 'scan') return CLEAR;
    if (trigger !== 'rejected' || !rejected) return KEEP;
    const allowed = rejected.allowed.length ? rejected.allowed.join(', ') : 'none (final state)';
    const description = `A scan tried to move ${pkg.trackingNumber} from ${pkg.status} back to ${rejected.attempted} at ${rejected.at}; it was rejected (allowed next: ${allowed}).`;
    if (isFinal(pkg.status)) {
      return fire({
        severity: 'high',
        confidenceScore: 0.85,
        description,
        recommendedAction: `Contact the recipient to confirm the ${pkg.status} parcel really arrived, and audit the ${rejected.attempted} scan: a parcel scanned after ${pkg.status} may have been misdelivered.`,
      });
    }
    return fire({
      severity: 'medium',
      confidenceScore: 0.7,
      description,
      recommendedAction: `Audit the scanner that sent ${rejected.attempted}: rescan the parcel with its real status and check it was not sorted back into the network by mistake.`,
    });
  }
}
