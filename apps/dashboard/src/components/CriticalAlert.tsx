import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { Anomaly } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { words } from '../lib/format.js';
import { packageHref } from '../lib/hash-route.js';

/** Newest first; only critical anomalies detected while the page is open (events, not the REST list). */
const reducer = (state: Anomaly[], m: TopicMessage<'anomalies'>): Anomaly[] =>
  m.type === 'anomaly_detected' &&
  m.data.severity === 'critical' &&
  !state.some((a) => a.anomalyId === m.data.anomalyId)
    ? [m.data, ...state].slice(0, 5)
    : state;

/** A banner nobody can miss for each new critical anomaly, until dismissed. */
export function CriticalAlert() {
  const critical = useTopic('anomalies', reducer, [] as Anomaly[]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = critical.filter((a) => !dismissed.has(a.anomalyId));
  if (shown.length === 0) return null;
  const a = shown[0];
  return (
    <div className="banner critical-alert" role="alert" data-anomaly={a.anomalyId}>
      <strong>Critical anomaly:</strong> {words(a.anomalyType)} on{' '}
      <a className="mono" href={packageHref(a.trackingNumber)}>
        {a.trackingNumber}
      </a>
      . {a.recommendedAction}
      {shown.length > 1 && <span className="muted"> ({shown.length - 1} more)</span>}{' '}
      <button type="button" onClick={() => setDismissed((d) => new Set([...d, a.anomalyId]))}>
        Dismiss
      </button>
    </div>
  );
}
