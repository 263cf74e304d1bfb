import { packageView, scanAt } from '../../../../../test/fixtures/anomalies/package-fixture.js';
import { StatusRegressionRule } from './status-regression.rule.js';

const rule = new StatusRegressionRule();
const now = new Date();

describe('status_regression', () => {
  it('fires medium on a rejected backwards move', () => {
    const verdict = rule.evaluate({
      trigger: 'rejected',
      now,
      package: packageView({ status: 'out_for_delivery' }),
      rejected: { attempted: 'picked_up', allowed: ['delivered', 'exception'], at: now.toISOString() },
    });
    expect(verdict.kind).toBe('fire');
    if (verdict.kind !== 'fire') return;
    expect(verdict.finding.severity).toBe('medium');
    expect(verdict.finding.description).toContain('out_for_delivery back to picked_up');
    expect(verdict.finding.description).toContain('delivered, exception');
    expect(verdict.finding.recommendedAction).toContain('picked_up');
  });

  it('fires high on an attempt to leave a final state', () => {
    const verdict = rule.evaluate({
      trigger: 'rejected',
      now,
      package: packageView({ status: 'delivered' }),
      rejected: { attempted: 'in_transit', allowed: ['returned'], at: now.toISOString() },
    });
    expect(verdict.kind === 'fire' && verdict.finding.severity).toBe('high');
    if (verdict.kind === 'fire') expect(verdict.finding.confidenceScore).toBeGreaterThan(0.7);
  });

  it('does not fire on accepted scans and sweeps; an accepted scan clears it', () => {
    const scan = scanAt('baltimore', 3);
    expect(rule.evaluate({ trigger: 'scan', now, package: packageView(), scan })).toEqual({ kind: 'clear' });
    expect(rule.evaluate({ trigger: 'sweep', now, package: packageView() })).toEqual({ kind: 'keep' });
  });
});
