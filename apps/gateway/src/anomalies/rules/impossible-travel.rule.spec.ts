import { packageView, scanAt } from '../../../../../test/fixtures/anomalies/package-fixture.js';
import { ImpossibleTravelRule } from './impossible-travel.rule.js';

const rule = new ImpossibleTravelRule(1000);
const now = new Date();

function evaluate(previous: ReturnType<typeof scanAt>, scan: ReturnType<typeof scanAt>) {
  return rule.evaluate({ trigger: 'scan', now, package: packageView(), scan, previousScan: previous });
}

describe('impossible_travel', () => {
  it('does not fire for a plausible trip (New York to Los Angeles in 6 h, ~660 km/h), and clears', () => {
    expect(evaluate(scanAt('newYork', 0), scanAt('losAngeles', 6))).toEqual({ kind: 'clear' });
  });

  it('fires when the implied speed passes the limit (New York to Los Angeles in 1.5 h)', () => {
    const verdict = evaluate(scanAt('newYork', 0), scanAt('losAngeles', 1.5));
    expect(verdict.kind).toBe('fire');
    if (verdict.kind !== 'fire') return;
    expect(verdict.finding.severity).toBe('high'); // ~2,620 km/h: over 2x the limit
    expect(verdict.finding.description).toMatch(/Los Angeles.*New York/);
    expect(verdict.finding.description).toMatch(/km\/h/);
    expect(verdict.finding.recommendedAction).toContain('Los Angeles');
  });

  it('grows severity and confidence with the speed', () => {
    const slow = evaluate(scanAt('newYork', 0), scanAt('losAngeles', 3)); // ~1,310 km/h
    const fast = evaluate(scanAt('newYork', 0), scanAt('london', 0.5)); // ~11,140 km/h
    if (slow.kind !== 'fire' || fast.kind !== 'fire') throw new Error('expected both to fire');
    expect(slow.finding.severity).toBe('medium');
    expect(fast.finding.severity).toBe('critical');
    expect(fast.finding.confidenceScore).toBeGreaterThan(slow.finding.confidenceScore);
    expect(fast.finding.confidenceScore).toBeLessThanOrEqual(1);
  });

  it('treats two distant scans at the same instant (or out of order) as infinitely fast', () => {
    const verdict = evaluate(scanAt('newYork', 5), scanAt('chicago', 4));
    expect(verdict.kind === 'fire' && verdict.finding.severity).toBe('critical');
  });

  it('ignores GPS jitter: two scans a few hundred metres apart at once are fine', () => {
    const a = scanAt('newYork', 1);
    const b = { ...a, latitude: a.latitude + 0.003 };
    expect(evaluate(a, b)).toEqual({ kind: 'clear' });
  });

  it('says nothing without a previous scan, or on sweeps and rejected scans', () => {
    expect(rule.evaluate({ trigger: 'scan', now, package: packageView(), scan: scanAt('newYork', 0) })).toEqual({
      kind: 'keep',
    });
    expect(rule.evaluate({ trigger: 'sweep', now, package: packageView() })).toEqual({ kind: 'keep' });
  });

  it('respects the configured limit', () => {
    const strict = new ImpossibleTravelRule(100);
    const verdict = strict.evaluate({
      trigger: 'scan',
      now,
      package: packageView(),
      previousScan: scanAt('newYork', 0),
      scan: scanAt('philadelphia', 0.5), // ~260 km/h
    });
    expect(verdict.kind).toBe('fire');
  });
});
