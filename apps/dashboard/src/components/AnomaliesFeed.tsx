import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { Anomaly } from '@tracklight/protocol';
import { upsertLive, useLiveList } from '@tracklight/react';
import { useListLoader } from '../lib/rest-loader.js';
import { AnomalyItem, anomalyStage } from './AnomalyItem.js';
import { StaleMark } from './StaleMark.js';

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const STAGE_RANK = { open: 0, acknowledged: 1, resolved: 2 } as const;
const keyOf = (a: Anomaly) => a.anomalyId;
/** An anomaly only moves forward (open, acknowledged, resolved): never show an earlier stage again. */
export const fresherAnomaly = (incoming: Anomaly, current: Anomaly) =>
  STAGE_RANK[anomalyStage(incoming)] >= STAGE_RANK[anomalyStage(current)];

type Filter = 'open' | 'acknowledged' | 'resolved';
const FILTERS: [Filter, string][] = [
  ['open', 'Open'],
  ['acknowledged', 'Acknowledged'],
  ['resolved', 'Resolved'],
];

/**
 * Anomalies, most severe first, by stage: open ones to act on, acknowledged ones someone took,
 * resolved ones for the record. `trackingNumber` narrows it to one package.
 */
export function AnomaliesFeed({
  token,
  canAct,
  trackingNumber,
}: {
  token: string;
  canAct: boolean;
  trackingNumber?: string;
}) {
  const [filter, setFilter] = useState<Filter>('open');
  const query = new URLSearchParams({ limit: '100', open: filter === 'resolved' ? 'false' : 'true' });
  if (trackingNumber) {
    query.delete('open');
    query.set('trackingNumber', trackingNumber);
  }
  const load = useListLoader<Anomaly>(`/anomalies?${query.toString()}`, token);
  const fromEvent = (m: TopicMessage<'anomalies'>) =>
    !trackingNumber || m.data.trackingNumber === trackingNumber ? m.data : undefined;
  const live = useLiveList({
    topic: 'anomalies',
    load,
    keyOf,
    fromEvent,
    fresher: fresherAnomaly,
    limit: 500,
    reloadKey: query.toString(),
  });
  const [, setLocal] = useState(0);
  const all = [...live.state.map.values()];
  const shown = (trackingNumber ? all : all.filter((a) => anomalyStage(a) === filter)).sort(
    (a, b) =>
      STAGE_RANK[anomalyStage(a)] - STAGE_RANK[anomalyStage(b)] ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      b.detectedAt.localeCompare(a.detectedAt),
  );
  const open = all.filter((a) => anomalyStage(a) === 'open').length;
  return (
    <section className="panel anomalies" aria-labelledby="anomalies-title" data-stale={live.stale}>
      <h2 id="anomalies-title">
        Anomalies{' '}
        <span className="count">
          {trackingNumber ? all.length : filter === 'resolved' ? shown.length : `${open} open`}
        </span>{' '}
        <StaleMark live={live} />
      </h2>
      {!trackingNumber && (
        <div className="tabs" role="group" aria-label="Show anomalies that are">
          {FILTERS.map(([key, label]) => (
            <button key={key} type="button" aria-pressed={filter === key} onClick={() => setFilter(key)}>
              {label}
            </button>
          ))}
        </div>
      )}
      <ol className="feed" tabIndex={0} aria-label="Anomalies, most severe first">
        {shown.slice(0, 100).map((a) => (
          <AnomalyItem
            key={a.anomalyId}
            anomaly={a}
            token={token}
            canAct={canAct}
            onChanged={(next) => {
              // Show the answer at once; the anomaly_acknowledged event confirms it.
              upsertLive(live.state, next.anomalyId, next, fresherAnomaly);
              setLocal((n) => n + 1);
            }}
          />
        ))}
        {shown.length === 0 && <li className="empty">No {trackingNumber ? '' : filter} anomalies.</li>}
      </ol>
    </section>
  );
}
