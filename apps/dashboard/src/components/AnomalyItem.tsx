import { useState } from 'react';
import type { Anomaly } from '@tracklight/protocol';
import { api } from '../lib/api.js';
import { localizeIsoIn, localTime, words } from '../lib/format.js';
import { packageHref } from '../lib/hash-route.js';

export const anomalyStage = (a: Anomaly): 'open' | 'acknowledged' | 'resolved' =>
  a.resolvedAt ? 'resolved' : a.acknowledgedAt ? 'acknowledged' : 'open';

/** One anomaly: what, where, when (local time), what to do, who took it; acknowledge for ops. */
export function AnomalyItem({
  anomaly: a,
  token,
  canAct,
  onChanged,
}: {
  anomaly: Anomaly;
  token: string;
  canAct: boolean;
  /** The acknowledged anomaly as the server answered (the live event follows). */
  onChanged?: (a: Anomaly) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stage = anomalyStage(a);
  async function acknowledge() {
    setBusy(true);
    setError(null);
    try {
      onChanged?.(await api<Anomaly>(`/anomalies/${a.anomalyId}/acknowledge`, token, { method: 'POST' }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <li
      className={`anomaly stage-${stage}`}
      data-anomaly={a.anomalyId}
      data-tracking={a.trackingNumber}
      data-stage={stage}
    >
      <div className="anomaly-head">
        <span className={`badge severity-${a.severity}`}>{a.severity}</span> <strong>{words(a.anomalyType)}</strong>{' '}
        <a className="mono" href={packageHref(a.trackingNumber)}>
          {a.trackingNumber}
        </a>{' '}
        <span className={`badge stage-badge stage-${stage}`}>{stage}</span>
      </div>
      <p className="muted small">
        Detected <time dateTime={a.detectedAt}>{localTime(a.detectedAt)}</time>
        {a.acknowledgedAt && (
          <>
            {' '}
            · acknowledged by {a.acknowledgedBy} at{' '}
            <time dateTime={a.acknowledgedAt}>{localTime(a.acknowledgedAt)}</time>
          </>
        )}
        {a.resolvedAt && (
          <>
            {' '}
            · resolved <time dateTime={a.resolvedAt}>{localTime(a.resolvedAt)}</time>
          </>
        )}
      </p>
      <p>{localizeIsoIn(a.description)}</p>
      <p className="action">
        <span className="label">Recommended:</span> {a.recommendedAction}{' '}
        <span className="muted">({Math.round(a.confidenceScore * 100)}% confidence)</span>
      </p>
      {canAct && stage === 'open' && (
        <button type="button" disabled={busy} onClick={() => void acknowledge()}>
          Acknowledge
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          Could not acknowledge: {error}
        </p>
      )}
    </li>
  );
}
