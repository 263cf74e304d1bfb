import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { Anomaly } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { emptyKeyed, merged, upsert, type Keyed } from '../lib/keyed.js';
import { useRestList } from '../lib/use-rest.js';

const reducer = (state: Keyed<Anomaly>, m: TopicMessage<'anomalies'>) => upsert(state, m.data.anomalyId, m.data, 500);
const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

export function AnomaliesFeed({ token }: { token: string }) {
  const [initial] = useState(() => emptyKeyed<Anomaly>());
  const live = useTopic('anomalies', reducer, initial);
  const seed = useRestList<Anomaly>('/anomalies?open=true&limit=50', token);
  const items = merged(seed.items, (a) => a.anomalyId, live).sort(
    (a, b) =>
      Number(!!a.resolvedAt) - Number(!!b.resolvedAt) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.detectedAt.localeCompare(a.detectedAt),
  );
  return (
    <section className="panel anomalies" aria-labelledby="anomalies-title">
      <h2 id="anomalies-title">
        Anomalies <span className="count">{items.filter((a) => !a.resolvedAt).length} open</span>
      </h2>
      <ol className="feed" tabIndex={0} aria-label="Anomalies, most severe first">
        {items.slice(0, 50).map((a) => (
          <li key={a.anomalyId} className={a.resolvedAt ? 'resolved' : ''}>
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
