import { useEffect, useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { PackageStatus, PackageTopic, PackageUpdate } from '@tracklight/protocol';
import { byVersion, useLiveResource } from '@tracklight/react';
import { AnomaliesFeed } from '../components/AnomaliesFeed.js';
import { StaleMark } from '../components/StaleMark.js';
import { api } from '../lib/api.js';
import { ago, localTime, words } from '../lib/format.js';
import { WorldMap } from '../map/WorldMap.js';

interface Place {
  name: string;
  latitude: number;
  longitude: number;
}
type PackageState = PackageUpdate & { origin?: Place; destination?: Place; createdAt?: string; scans?: Scan[] };
interface Scan {
  status: PackageStatus;
  location: string;
  latitude: number;
  longitude: number;
  scannedAt: string;
}

/** The snapshot and every event of package:{tn} carry the whole package: keep the newer version. */
const apply = (state: PackageState | undefined, m: TopicMessage<PackageTopic>): PackageState | undefined =>
  !state || byVersion(m.data, state) ? { ...state, ...m.data } : state;

/** The full scan history, oldest first: `GET /packages/:tn/scans` page by page (contract revision 2). */
async function loadScans(tn: string, token: string): Promise<Scan[]> {
  const base = `/packages/${encodeURIComponent(tn)}/scans`;
  const scans: Scan[] = [];
  let cursor: string | null = null;
  // 20 pages of 500 scans: far more than a parcel's life; bounds the work for a runaway history.
  for (let pages = 0; pages < 20; pages++) {
    const query = new URLSearchParams({ limit: '500' });
    if (cursor) query.set('cursor', cursor);
    const page: { items: Scan[]; nextCursor: string | null } = await api(`${base}?${query.toString()}`, token);
    scans.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return scans;
}

export function PackageView({
  trackingNumber,
  token,
  canAct,
}: {
  trackingNumber: string;
  token: string;
  canAct: boolean;
}) {
  const topic: PackageTopic = `package:${trackingNumber}`;
  const live = useLiveResource<PackageTopic, PackageState | undefined>({
    topic,
    load: (signal) => api<PackageState>(`/packages/${encodeURIComponent(trackingNumber)}`, token, { signal }),
    apply,
    initial: undefined,
    reloadKey: token,
  });
  const pkg = live.state;
  const [scans, setScans] = useState<Scan[] | null>(null);
  const [scanError, setScanError] = useState<string | null>(null);
  // Every accepted change moves lastScanTime: read the timeline again then.
  const changed = `${typeof pkg?.version === 'number' ? pkg.version : ''}|${pkg?.lastScanTime ?? ''}`;
  useEffect(() => {
    if (!pkg) return;
    let cancelled = false;
    loadScans(trackingNumber, token).then(
      (s) => !cancelled && (setScans(s), setScanError(null)),
      (err: Error) => !cancelled && setScanError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [trackingNumber, token, changed]);

  if (!pkg) {
    return (
      <section className="panel package-view" aria-labelledby="package-title">
        <h2 id="package-title">Package {trackingNumber}</h2>
        <p className={live.error ? 'error' : 'muted'} role={live.error ? 'alert' : undefined}>
          {live.error
            ? live.error.includes('No package')
              ? `No package with tracking number ${trackingNumber}.`
              : `Could not load it: ${live.error}`
            : 'Loading…'}
        </p>
        <a href="#/packages">Back to packages</a>
      </section>
    );
  }
  const trail: [number, number][] = (scans ?? []).map((s) => [s.longitude, s.latitude]);
  const here: [number, number] = [pkg.longitude, pkg.latitude];
  return (
    <div className="package-page">
      <section
        className="panel package-view"
        aria-labelledby="package-title"
        data-stale={live.stale}
        data-tracking={pkg.trackingNumber}
      >
        <h2 id="package-title">
          Package <span className="mono">{pkg.trackingNumber}</span> <StaleMark live={live} />
        </h2>
        <dl className="facts">
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`badge status-${pkg.status}`} data-status={pkg.status}>
                {words(pkg.status)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Where</dt>
            <dd>{pkg.location}</dd>
          </div>
          <div>
            <dt>Carrier</dt>
            <dd>{pkg.carrier}</dd>
          </div>
          <div>
            <dt>Last scan</dt>
            <dd title={localTime(pkg.lastScanTime)}>
              {localTime(pkg.lastScanTime)} ({ago(pkg.lastScanTime)})
            </dd>
          </div>
          <div>
            <dt>Estimated delivery</dt>
            <dd>{localTime(pkg.estimatedDelivery)}</dd>
          </div>
          {pkg.origin && pkg.destination && (
            <div>
              <dt>Route</dt>
              <dd>
                {pkg.origin.name} → {pkg.destination.name}
              </dd>
            </div>
          )}
        </dl>
        <WorldMap
          label={`Trail of ${pkg.trackingNumber}: ${trail.length} scans`}
          pins={[
            {
              trackingNumber: pkg.trackingNumber,
              longitude: pkg.longitude,
              latitude: pkg.latitude,
              status: pkg.status,
            },
          ]}
          trail={trail}
          focus={trail.length ? [...trail, here] : [here]}
        />
      </section>
      <section className="panel timeline" aria-labelledby="timeline-title">
        <h2 id="timeline-title">
          Scan history <span className="count">{scans?.length ?? '…'}</span>
        </h2>
        {scanError && <p className="error">Could not load the scans: {scanError}</p>}
        <ol className="timeline-list">
          {(scans ?? []).map((s, i) => (
            <li key={`${s.scannedAt}-${i}`} data-status={s.status}>
              <time dateTime={s.scannedAt}>{localTime(s.scannedAt)}</time>{' '}
              <span className={`badge status-${s.status}`}>{words(s.status)}</span> {s.location}
            </li>
          ))}
        </ol>
      </section>
      <AnomaliesFeed token={token} canAct={canAct} trackingNumber={pkg.trackingNumber} />
    </div>
  );
}
