import type { TopicMessage } from '@tracklight/client';
import type { DashboardMetrics } from '@tracklight/protocol';
import { useLiveResource } from '@tracklight/react';
import { useObjectLoader } from '../lib/rest-loader.js';
import { StaleMark } from './StaleMark.js';

const pct = (n: number) => `${Math.round(n * 100)}%`;
const latest = (_: DashboardMetrics | undefined, m: TopicMessage<'dashboard_metrics'>) => m.data;

/** label, value, and what it means (the tile's tooltip and accessible description). */
type Tile = [string, string, string];

export function KpiTiles({ token }: { token: string }) {
  const load = useObjectLoader<DashboardMetrics | undefined>('/metrics/dashboard', token);
  const live = useLiveResource({ topic: 'dashboard_metrics', load, apply: latest, initial: undefined });
  const m = live.state;
  const tiles: Tile[] = [
    [
      'Packages',
      m ? String(m.totalPackages) : '–',
      'Every package ever created, delivered and returned ones included.',
    ],
    [
      'In transit',
      m ? String(m.inTransit) : '–',
      'Picked up, in transit, at a facility or out for delivery (not exceptions).',
    ],
    ['Delivered', m ? String(m.delivered) : '–', 'Packages whose last scan was a delivery.'],
    [
      'Delayed',
      m ? String(m.delayed) : '–',
      'Past their estimated delivery and neither delivered nor returned (exceptions included).',
    ],
    ['Open anomalies', m ? String(m.openAnomalies) : '–', 'Anomalies detected and not yet resolved.'],
    ['Recovery rate', m ? pct(m.recoveryRate) : '–', 'Resolved anomalies as a share of all anomalies ever detected.'],
    [
      'Avg delivery',
      m ? `${m.avgDeliveryHours.toFixed(1)} h` : '–',
      'Mean hours from creation to delivery, over every delivered package.',
    ],
  ];
  return (
    <section className="kpis" aria-label="Key figures" data-stale={live.stale}>
      <StaleMark live={live} />
      {tiles.map(([label, value, meaning]) => (
        <div className="kpi" key={label} title={meaning} data-kpi={label}>
          <div className="kpi-value">{value}</div>
          <div className="kpi-label">
            {label}{' '}
            <span className="kpi-help" aria-hidden="true">
              ?
            </span>
            <span className="visually-hidden">: {meaning}</span>
          </div>
        </div>
      ))}
    </section>
  );
}
