import type { TopicMessage } from '@tracklight/client';
import type { Anomaly } from '@tracklight/protocol';
import { useLiveList } from '@tracklight/react';
import { useListLoader } from '../lib/rest-loader.js';
import { StaleMark } from './StaleMark.js';

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const keyOf = (a: Anomaly) => a.anomalyId;
const fromEvent = (m: TopicMessage<'anomalies'>) => m.data;
/** An anomaly only moves forward (open, acknowledged, resolved): never show an earlier stage again. */
const stage = (a: Anomaly) => (a.resolvedAt ? 2 : (a as { acknowledgedAt?: string }).acknowledgedAt ? 1 : 0);
const fresher = (incoming: Anomaly, current: Anomaly) => stage(incoming) >= stage(current);

export function AnomaliesFeed({ token }: { token: string }) {
  const load = useListLoader<Anomaly>('/anomalies?open=true&limit=50', token);
  const live = useLiveList({ topic: 'anomalies', load, keyOf, fromEvent, fresher, limit: 500 });
  const items = [...live.state.map.values()].sort(
    (a, b) =>
      Number(!!a.resolvedAt) - Number(!!b.resolvedAt) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.detectedAt.localeCompare(a.detectedAt),
  );
  return (
    <section className="panel anomalies" aria-labelledby="anomalies-title" data-stale={live.stale}>
      <h2 id="anomalies-title">
        Anomalies <span className="count">{items.filter((a) => !a.resolvedAt).length} open</span>{' '}
        <StaleMark live={live} />
      </h2>
      <ol className="feed" tabIndex={0} aria-label="Anomalies, most severe first">
        {items.slice(0, 50).map((a) => (
          <li
            key={a.anomalyId}
            className={a.resolvedAt ? 'resolved' : ''}
            data-anomaly={a.anomalyId}
            data-tracking={a.trackingNumber}
          >
            <span className={`badge severity-${a.severity}`}>{a.severity}</span>{' '}
            <strong>{a.anomalyType.replace(/_/g, ' ')}</strong> <span className="mono">{a.trackingNumber}</span>
            {a.resolvedAt && <span className="badge resolved-badge">resolved</span>}
            <p>{a.description}</p>
            <p className="action">
              <span className="label">Recommended:</span> {a.recommendedAction}{' '}
              <span className="muted">({Math.round(a.confidenceScore * 100)}% confidence)</span>
            </p>
          </li>
        ))}
        {items.length === 0 && <li className="empty">No anomalies.</li>}
      </ol>
    </section>
  );
}
