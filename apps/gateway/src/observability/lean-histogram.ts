import type { Metric, MetricObjectWithValues, MetricValueWithName, Registry } from 'prom-client';

/**
 * A label-free Prometheus histogram for the per-event hot path. prom-client's `Histogram.observe`
 * hashes a label object and walks frozen objects keyed by bucket bound on every call (about 5 %
 * of the gateway's busy time under sparse fan-out, where it runs twice per event); here an
 * observation is a short scan over a typed array, and the cumulative Prometheus buckets are
 * built only when /metrics is scraped. Registered on a prom-client Registry like any metric, and
 * rendered by it in the standard text format.
 */
export class LeanHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly bounds: Float64Array;
  /** Non-cumulative: counts[i] holds observations in (bounds[i-1], bounds[i]]; the last slot is +Inf. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.bounds = Float64Array.from([...buckets].sort((a, b) => a - b));
    this.counts = new Float64Array(this.bounds.length + 1);
    registry.registerMetric(this as unknown as Metric);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i += 1;
    this.counts[i] += 1;
    this.sum += value;
    this.count += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  /** What prom-client's Registry renders: the same samples its own Histogram produces. */
  get(): Promise<MetricObjectWithValues<MetricValueWithName<string>>> {
    const values: MetricValueWithName<string>[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i];
      values.push({ metricName: `${this.name}_bucket`, labels: { le: this.bounds[i] }, value: cumulative });
    }
    values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf' }, value: this.count });
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return Promise.resolve({
      name: this.name,
      help: this.help,
      // prom-client's typings declare a numeric enum, but its runtime and text format use the string.
      type: 'histogram' as unknown as MetricObjectWithValues<MetricValueWithName<string>>['type'],
      aggregator: this.aggregator,
      collect: () => undefined,
      values,
    });
  }
}
