import { useMemo, useState, type FormEvent } from 'react';
import type { TopicMessage } from '@tracklight/client';
import { PACKAGE_STATUSES, type PackageStatus, type PackageUpdate } from '@tracklight/protocol';
import { useLiveList } from '@tracklight/react';
import { ago, localTime, words } from '../lib/format.js';
import { hrefOf, packageHref } from '../lib/hash-route.js';
import { api } from '../lib/api.js';
import { useNow } from '../lib/use-now.js';
import { StaleMark } from './StaleMark.js';

const keyOf = (p: PackageUpdate) => p.trackingNumber;
const fromEvent = (m: TopicMessage<'package_updates'>) => (m.type === 'package_update' ? m.data : undefined);

type Column = 'trackingNumber' | 'carrier' | 'status' | 'location' | 'estimatedDelivery' | 'lastScanTime';
const COLUMNS: [Column, string][] = [
  ['trackingNumber', 'Tracking #'],
  ['carrier', 'Carrier'],
  ['status', 'Status'],
  ['location', 'Location'],
  ['estimatedDelivery', 'ETA'],
  ['lastScanTime', 'Last scan'],
];
const PAGE = 50;
/**
 * The overview keeps the packages updated last, up to this many: every live event adds its package,
 * so a page left open all day would otherwise pile up thousands of rows, re-sorted on each event.
 */
const OVERVIEW_ROWS = 100;

interface Page {
  items: PackageUpdate[];
  nextCursor: string | null;
}

/**
 * Packages through the REST cursor (status and carrier filtered by the server), kept live by
 * package_updates, sortable by any column; a tracking number typed in the search opens its package.
 */
export function PackagesTable({ token, compact = false }: { token: string; compact?: boolean }) {
  const [status, setStatus] = useState<PackageStatus | ''>('');
  const [carrier, setCarrier] = useState('');
  const [search, setSearch] = useState('');
  const [notFound, setNotFound] = useState<string | null>(null);
  const [sort, setSort] = useState<{ by: Column; desc: boolean }>({ by: 'lastScanTime', desc: true });
  // Cursors of the pages before the current one, to step back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const query = new URLSearchParams({ limit: String(compact ? 20 : PAGE) });
  if (status) query.set('status', status);
  if (carrier.trim()) query.set('carrier', carrier.trim());
  if (cursor) query.set('cursor', cursor);
  const path = `/packages?${query.toString()}`;
  const load = useMemo(
    () => async (signal: AbortSignal) => {
      const page = await api<Page>(path, token, { signal });
      setNextCursor(page.nextCursor);
      return page.items;
    },
    [path, token],
  );
  const live = useLiveList({
    topic: 'package_updates',
    load,
    keyOf,
    fromEvent,
    reloadKey: path,
    limit: compact ? OVERVIEW_ROWS : undefined,
  });
  const now = useNow();
  const firstPage = cursors.length === 1;
  const needle = search.trim().toUpperCase();
  const rows = [...live.state.map.values()]
    .filter((p) => (!status || p.status === status) && (!carrier.trim() || p.carrier === carrier.trim()))
    .filter((p) => !needle || p.trackingNumber.toUpperCase().includes(needle))
    .sort((a, b) => {
      const av = String(a[sort.by] ?? '');
      const bv = String(b[sort.by] ?? '');
      return (sort.desc ? -1 : 1) * av.localeCompare(bv);
    });
  const resetPaging = () => setCursors([undefined]);
  // The overview's half-width panel keeps the columns that fit; the packages view shows them all.
  const columns = compact ? COLUMNS.filter(([key]) => key !== 'carrier' && key !== 'estimatedDelivery') : COLUMNS;

  async function open(event: FormEvent) {
    event.preventDefault();
    setNotFound(null);
    const tn = search.trim();
    if (!tn) return;
    try {
      await api(`/packages/${encodeURIComponent(tn)}`, token);
      location.hash = packageHref(tn);
    } catch {
      setNotFound(tn);
    }
  }

  return (
    <section className="panel packages" aria-labelledby="packages-title" data-stale={live.stale}>
      <h2 id="packages-title">
        Packages <span className="count">{rows.length}</span> <StaleMark live={live} />
      </h2>
      {!compact && (
        <form className="filters" onSubmit={(e) => void open(e)} role="search">
          <label>
            Tracking number
            <input
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Filter, or Enter to open"
              spellCheck={false}
            />
          </label>
          <label>
            Status
            <select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as PackageStatus | '');
                resetPaging();
              }}
            >
              <option value="">any</option>
              {PACKAGE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {words(s)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Carrier
            <input
              value={carrier}
              onChange={(e) => {
                setCarrier(e.target.value);
                resetPaging();
              }}
              placeholder="any"
            />
          </label>
          <button type="submit">Open</button>
        </form>
      )}
      {notFound && (
        <p className="error" role="alert">
          No package with tracking number {notFound}.
        </p>
      )}
      {live.error && <p className="error">Could not load packages: {live.error}</p>}
      <div className="table-scroll" tabIndex={0} role="region" aria-label="Packages table">
        <table>
          <thead>
            <tr>
              {columns.map(([key, label]) => (
                <th
                  key={key}
                  scope="col"
                  aria-sort={sort.by === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort"
                    onClick={() => setSort((s) => ({ by: key, desc: s.by === key ? !s.desc : key === 'lastScanTime' }))}
                  >
                    {label}
                    <span aria-hidden="true">{sort.by === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.trackingNumber} data-tracking={p.trackingNumber} data-status={p.status}>
                {columns.map(([key]) => (
                  <Cell key={key} column={key} pkg={p} now={now} />
                ))}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={columns.length} className="empty">
                  {live.resyncing ? 'Loading…' : 'No packages match.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {compact && (
        <p className="more muted">
          The {OVERVIEW_ROWS} updated last at most. <a href={hrefOf({ view: 'packages' })}>All packages</a>
        </p>
      )}
      {!compact && (
        <div className="row pager">
          <button type="button" disabled={firstPage} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous page
          </button>
          <span className="muted">Page {cursors.length}</span>
          <button
            type="button"
            disabled={!nextCursor}
            onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
          >
            Next page
          </button>
        </div>
      )}
    </section>
  );
}

function Cell({ column, pkg: p, now }: { column: Column; pkg: PackageUpdate; now: number }) {
  switch (column) {
    case 'trackingNumber':
      return (
        <td className="mono">
          <a href={packageHref(p.trackingNumber)}>{p.trackingNumber}</a>
        </td>
      );
    case 'status':
      return (
        <td>
          <span className={`badge status-${p.status}`}>{words(p.status)}</span>
        </td>
      );
    case 'estimatedDelivery':
      return <td>{localTime(p.estimatedDelivery)}</td>;
    case 'lastScanTime':
      return <td title={localTime(p.lastScanTime)}>{ago(p.lastScanTime, now)}</td>;
    case 'carrier':
    case 'location':
      return <td>{p[column]}</td>;
  }
}
