import type { ScanView } from '../../packages/package-view.js';
import { packageView, scanAt, type City } from '../../../../../test/fixtures/anomalies/package-fixture.js';
import { RouteDeviationRule } from './route-deviation.rule.js';

const rule = new RouteDeviationRule(3);
const now = new Date();

/** Cities in travel order; the rule wants most recent first. */
function trip(...cities: City[]): ScanView[] {
  return cities.map((c, i) => scanAt(c, i * 5)).reverse();
}

// packageView() goes to Washington.
const evaluate = (recentScans: ScanView[], status = packageView().status) =>
  rule.evaluate({ trigger: 'scan', now, package: packageView({ status }), scan: recentScans[0], recentScans });

describe('route_deviation', () => {
  it('asks for one more scan than the streak it needs', () => {
    expect(rule.scanHistory).toBe(4);
  });

  it('does not fire while the parcel approaches its destination', () => {
    expect(evaluate(trip('boston', 'newYork', 'philadelphia', 'baltimore'))).toEqual({ kind: 'clear' });
  });

  it('fires when the distance grows over three consecutive scans', () => {
    const verdict = evaluate(trip('baltimore', 'philadelphia', 'newYork', 'boston'));
    expect(verdict.kind).toBe('fire');
    if (verdict.kind !== 'fire') return;
    expect(verdict.finding.severity).toBe('critical'); // 56 km to 634 km
    expect(verdict.finding.description).toContain('Washington');
    expect(verdict.finding.description).toContain('Boston');
    expect(verdict.finding.recommendedAction).toContain('UPS');
  });

  it('does not fire on a streak shorter than configured', () => {
    expect(evaluate(trip('newYork', 'baltimore', 'philadelphia', 'boston'))).toEqual({ kind: 'keep' });
    expect(evaluate(trip('philadelphia', 'newYork', 'boston'))).toEqual({ kind: 'keep' });
  });

  it('scales severity with how far the parcel strayed', () => {
    const small = new RouteDeviationRule(2).evaluate({
      trigger: 'scan',
      now,
      package: packageView({ destination: { name: 'Los Angeles', latitude: 34.0522, longitude: -118.2437 } }),
      recentScans: trip('chicago', 'philadelphia', 'newYork'), // 2,800 km to 3,935 km: +40%
    });
    expect(small.kind === 'fire' && small.finding.severity).toBe('medium');
  });

  it('clears when the parcel is back on course, or final', () => {
    expect(evaluate(trip('philadelphia', 'newYork', 'boston', 'newYork'))).toEqual({ kind: 'clear' });
    expect(evaluate(trip('baltimore', 'philadelphia', 'newYork', 'boston'), 'delivered')).toEqual({ kind: 'clear' });
  });

  it('ignores a few km of jitter at the same place', () => {
    const a = scanAt('newYork', 0);
    const jitter = [a, { ...a, latitude: a.latitude + 0.001 }, { ...a, latitude: a.latitude + 0.002 }, a].reverse();
    expect(evaluate(jitter)).toEqual({ kind: 'keep' });
  });

  it('says nothing on sweeps', () => {
    expect(rule.evaluate({ trigger: 'sweep', now, package: packageView() })).toEqual({ kind: 'keep' });
  });
});
