import { at, packageView, T0 } from '../../../../../test/fixtures/anomalies/package-fixture.js';
import { DelayedDeliveryRule } from './delayed-delivery.rule.js';

const rule = new DelayedDeliveryRule();
const nowAt = (h: number) => new Date(T0 + h * 3_600_000);

describe('delayed_delivery', () => {
  it('does not fire before the estimated delivery, and clears an open one', () => {
    expect(rule.evaluate({ trigger: 'sweep', now: nowAt(47.9), package: packageView() })).toEqual({ kind: 'clear' });
  });

  it('fires once past the estimated delivery for a package not delivered', () => {
    const verdict = rule.evaluate({ trigger: 'sweep', now: nowAt(48.5), package: packageView() });
    expect(verdict.kind).toBe('fire');
    if (verdict.kind !== 'fire') return;
    expect(verdict.finding.severity).toBe('low');
    expect(verdict.finding.description).toContain('TL0001 is 30 min past its estimated delivery');
    expect(verdict.finding.recommendedAction).toContain('UPS');
    expect(verdict.finding.confidenceScore).toBeGreaterThan(0);
    expect(verdict.finding.confidenceScore).toBeLessThanOrEqual(1);
  });

  it('also fires for a package in exception, on a scan trigger', () => {
    const pkg = packageView({ status: 'exception' });
    expect(rule.evaluate({ trigger: 'scan', now: nowAt(50), package: pkg }).kind).toBe('fire');
  });

  it('grows severity and confidence with the hours late', () => {
    const findings = [49, 51, 61, 100].map((h) => {
      const v = rule.evaluate({ trigger: 'sweep', now: nowAt(h), package: packageView() });
      if (v.kind !== 'fire') throw new Error(`expected fire at ${h}`);
      return v.finding;
    });
    expect(findings.map((f) => f.severity)).toEqual(['low', 'medium', 'high', 'critical']);
    const confidences = findings.map((f) => f.confidenceScore);
    expect([...confidences].sort((a, b) => a - b)).toEqual(confidences);
    expect(confidences[0]).toBeLessThan(confidences[3]);
  });

  it('clears once the package is delivered or returned, however late', () => {
    for (const status of ['delivered', 'returned'] as const) {
      const pkg = packageView({ status, deliveredAt: at(90) });
      expect(rule.evaluate({ trigger: 'scan', now: nowAt(90), package: pkg })).toEqual({ kind: 'clear' });
    }
  });

  it('keeps the current state when the estimate is unreadable', () => {
    const pkg = packageView({ estimatedDelivery: 'soon' });
    expect(rule.evaluate({ trigger: 'sweep', now: nowAt(90), package: pkg })).toEqual({ kind: 'keep' });
  });
});
