import { packageView, scanAt, T0 } from '../../../../../test/fixtures/anomalies/package-fixture.js';
import { StuckPackageRule } from './stuck-package.rule.js';

const HOUR = 3_600_000;
const rule = new StuckPackageRule(6 * HOUR);
// packageView() was last scanned at T0+2h.
const nowAt = (h: number) => new Date(T0 + h * HOUR);

describe('stuck_package', () => {
  it('does not fire within the threshold, and a sweep then clears', () => {
    expect(rule.evaluate({ trigger: 'sweep', now: nowAt(7.9), package: packageView() })).toEqual({ kind: 'clear' });
  });

  it('fires on a sweep once the silence passes the threshold', () => {
    const verdict = rule.evaluate({ trigger: 'sweep', now: nowAt(8.5), package: packageView() });
    expect(verdict.kind).toBe('fire');
    if (verdict.kind !== 'fire') return;
    expect(verdict.finding.severity).toBe('medium');
    expect(verdict.finding.description).toContain('Philadelphia');
    expect(verdict.finding.recommendedAction).toContain('UPS');
  });

  it('grows severity with the silence', () => {
    const severities = [9, 15, 27].map((h) => {
      const v = rule.evaluate({ trigger: 'sweep', now: nowAt(h), package: packageView() });
      return v.kind === 'fire' ? v.finding.severity : v.kind;
    });
    expect(severities).toEqual(['medium', 'high', 'critical']);
  });

  it('counts a package never scanned from its creation', () => {
    const pkg = packageView({ status: 'created', lastScanTime: '' });
    expect(rule.evaluate({ trigger: 'sweep', now: nowAt(6.5), package: pkg }).kind).toBe('fire');
  });

  it('clears when the package is scanned again', () => {
    const pkg = packageView({ lastScanTime: new Date(T0 + 30 * HOUR).toISOString() });
    const verdict = rule.evaluate({ trigger: 'scan', now: nowAt(30), package: pkg, scan: scanAt('baltimore', 30) });
    expect(verdict).toEqual({ kind: 'clear' });
  });

  it('clears for a final package and does not fire on one', () => {
    const pkg = packageView({ status: 'delivered' });
    expect(rule.evaluate({ trigger: 'sweep', now: nowAt(100), package: pkg })).toEqual({ kind: 'clear' });
  });

  it('a rejected scan proves nothing: it neither clears nor fires within the threshold', () => {
    const rejected = { attempted: 'created' as const, allowed: [], at: new Date(T0 + 3 * HOUR).toISOString() };
    expect(rule.evaluate({ trigger: 'rejected', now: nowAt(3), package: packageView(), rejected })).toEqual({
      kind: 'keep',
    });
  });
});
