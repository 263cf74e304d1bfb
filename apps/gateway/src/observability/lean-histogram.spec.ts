import { Histogram, Registry } from 'prom-client';
import { LeanHistogram } from './lean-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

/** The text Prometheus scrapes for one metric, with the metric name made neutral. */
async function rendered(registry: Registry, name: string): Promise<string> {
  return (await registry.getSingleMetricAsString(name)).replaceAll(name, 'm');
}

describe('LeanHistogram', () => {
  it('renders exactly what prom-client renders for the same observations', async () => {
    const reference = new Registry();
    const lean = new Registry();
    const a = new Histogram({ name: 'ref_seconds', help: 'h', buckets: BUCKETS, registers: [reference] });
    const b = new LeanHistogram('lean_seconds', 'h', BUCKETS, lean);
    // below, on and above every bound, plus 0 and far beyond the last bound
    for (const v of [0, 0.0005, 0.001, 0.002, 0.01, 0.05, 0.1, 0.1000001, 0.9, 1, 1.5, 250]) {
      a.observe(v);
      b.observe(v);
    }
    expect(await rendered(lean, 'lean_seconds')).toBe(await rendered(reference, 'ref_seconds'));
  });

  it('counts an observation on a bound in that bound (le is inclusive)', async () => {
    const registry = new Registry();
    const h = new LeanHistogram('x_seconds', 'h', BUCKETS, registry);
    h.observe(0.01);
    const text = await registry.getSingleMetricAsString('x_seconds');
    expect(text).toContain('x_seconds_bucket{le="0.001"} 0');
    expect(text).toContain('x_seconds_bucket{le="0.01"} 1');
    expect(text).toContain('x_seconds_bucket{le="+Inf"} 1');
    expect(text).toContain('x_seconds_count 1');
  });

  it('starts from zero again after reset (Registry.resetMetrics)', async () => {
    const registry = new Registry();
    const h = new LeanHistogram('y_seconds', 'h', BUCKETS, registry);
    h.observe(0.5);
    registry.resetMetrics();
    const text = await registry.getSingleMetricAsString('y_seconds');
    expect(text).toContain('y_seconds_bucket{le="+Inf"} 0');
    expect(text).toContain('y_seconds_sum 0');
  });

  it('refuses a second metric of the same name in one registry', () => {
    const registry = new Registry();
    new LeanHistogram('z_seconds', 'h', BUCKETS, registry);
    expect(() => new LeanHistogram('z_seconds', 'h', BUCKETS, registry)).toThrow(/already been registered/);
  });
});
