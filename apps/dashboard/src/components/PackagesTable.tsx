import type { TopicMessage } from '@tracklight/client';
import type { PackageUpdate } from '@tracklight/protocol';
import { useLiveList } from '@tracklight/react';
import { useListLoader } from '../lib/rest-loader.js';
import { StaleMark } from './StaleMark.js';

const keyOf = (p: PackageUpdate) => p.trackingNumber;
const fromEvent = (m: TopicMessage<'package_updates'>) => (m.type === 'package_update' ? m.data : undefined);

const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '–');
const SHOWN = 100;

export function PackagesTable({ token }: { token: string }) {
  const load = useListLoader<PackageUpdate>('/packages?limit=100', token);
  const live = useLiveList({ topic: 'package_updates', load, keyOf, fromEvent });
  const rows = [...live.state.map.values()].sort((a, b) => (b.lastScanTime ?? '').localeCompare(a.lastScanTime ?? ''));
  return (
    <section className="panel packages" aria-labelledby="packages-title" data-stale={live.stale}>
      <h2 id="packages-title">
        Packages <span className="count">{rows.length}</span> <StaleMark live={live} />
      </h2>
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
              <tr key={p.trackingNumber} data-tracking={p.trackingNumber} data-status={p.status}>
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
