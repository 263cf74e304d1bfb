import { useTopic } from '@tracklight/react';

const pct = (n: number) => `${Math.round(n * 100)}%`;

export function KpiTiles() {
  const m = useTopic('dashboard_metrics');
  const tiles: [string, string][] = [
    ['Packages', m ? String(m.totalPackages) : '–'],
    ['In transit', m ? String(m.inTransit) : '–'],
    ['Delivered', m ? String(m.delivered) : '–'],
    ['Delayed', m ? String(m.delayed) : '–'],
    ['Open anomalies', m ? String(m.openAnomalies) : '–'],
    ['Recovery rate', m ? pct(m.recoveryRate) : '–'],
    ['Avg delivery', m ? `${m.avgDeliveryHours.toFixed(1)} h` : '–'],
  ];
  return (
    <section className="kpis" aria-label="Key figures">
      {tiles.map(([label, value]) => (
        <div className="kpi" key={label}>
          <div className="kpi-value">{value}</div>
          <div className="kpi-label">{label}</div>
        </div>
      ))}
    </section>
  );
}
