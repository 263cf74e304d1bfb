import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { PackageUpdate } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { emptyKeyed, merged, upsert, type Keyed } from '../lib/keyed.js';
import { useRestList } from '../lib/use-rest.js';

const reducer = (state: Keyed<PackageUpdate>, m: TopicMessage<'package_updates'>) =>
  upsert(state, m.data.trackingNumber, m.data);

const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '–');
const SHOWN = 100;

export function PackagesTable({ token }: { token: string }) {
  const [initial] = useState(() => emptyKeyed<PackageUpdate>());
  const live = useTopic('package_updates', reducer, initial);
  const seed = useRestList<PackageUpdate>('/packages?limit=100', token);
  const rows = merged(seed.items, (p) => p.trackingNumber, live).sort((a, b) =>
    (b.lastScanTime ?? '').localeCompare(a.lastScanTime ?? ''),
  );
  return (
    <section className="panel packages" aria-labelledby="packages-title">
      <h2 id="packages-title">
        Packages <span className="count">{rows.length}</span>
      </h2>
      {seed.error && <p className="error">Could not load packages: {seed.error}</p>}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Packages table">
        <table>
          <thead>
            <tr>
              <th scope="col">Tracking #</th>
              <th scope="col">Carrier</th>
              <th scope="col">Status</th>
              <th scope="col">Location</th>
              <th scope="col">ETA</th>
              <th scope="col">Last scan</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, SHOWN).map((p) => (
              <tr key={p.trackingNumber} data-tracking={p.trackingNumber}>
                <td className="mono">{p.trackingNumber}</td>
                <td>{p.carrier}</td>
                <td>
                  <span className={`badge status-${p.status}`}>{p.status.replace(/_/g, ' ')}</span>
                </td>
                <td>{p.location}</td>
                <td>{time(p.estimatedDelivery)}</td>
                <td>{time(p.lastScanTime)}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No packages yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {rows.length > SHOWN && <p className="hint">Showing the {SHOWN} most recently scanned.</p>}
    </section>
  );
}
