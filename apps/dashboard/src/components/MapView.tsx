import { useCallback, useEffect, useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { PackageStatus } from '@tracklight/protocol';
import { useLiveList } from '@tracklight/react';
import { words } from '../lib/format.js';
import { bboxOf, type Box } from '../map/geometry.js';
import { STATUS_COLOURS, STATUS_ORDER } from '../map/status-colours.js';
import { WorldMap, type Pin, type RouteLine } from '../map/WorldMap.js';
import { StaleMark } from './StaleMark.js';

export type { RouteLine } from '../map/WorldMap.js';

const keyOf = (p: Pin) => p.trackingNumber;
const fromEvent = (m: TopicMessage<'map_updates'>): Pin | undefined => (m.type === 'map_update' ? m.data : undefined);
/** Delivered and returned packages leave the map, as they leave the snapshot. */
const inFlight = (p: Pin) => p.status !== 'delivered' && p.status !== 'returned';

/** The view plus half its size on every side, so a short pan needs no new snapshot to look right. */
function subscriptionBox([bx, by, w, h]: Box): Box {
  return [bx - w / 2, by - h / 2, w * 2, h * 2];
}

export function Legend({ pins }: { pins: Pin[] }) {
  const counts = new Map<PackageStatus, number>();
  for (const p of pins) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  return (
    <ul className="legend" aria-label="Map legend: package status colours">
      {STATUS_ORDER.filter((s) => s !== 'delivered' && s !== 'returned').map((s) => (
        <li key={s}>
          <span className="swatch" style={{ background: STATUS_COLOURS[s] }} aria-hidden="true" /> {words(s)}{' '}
          <span className="muted">{counts.get(s) ?? 0}</span>
        </li>
      ))}
    </ul>
  );
}

/** Every package in flight from the first frame (map snapshot), live, narrowed to the area in view. */
export function MapView({ routes = [] }: { routes?: RouteLine[] }) {
  const [bbox, setBbox] = useState<[number, number, number, number] | undefined>(undefined);
  const [view, setView] = useState<Box | undefined>(undefined);
  useEffect(() => {
    if (!view) return;
    const timer = setTimeout(() => {
      const next = bboxOf(subscriptionBox(view));
      setBbox((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
    }, 400);
    return () => clearTimeout(timer);
  }, [view]);
  const onViewChange = useCallback((box: Box) => setView(box), []);
  const [truncated, setTruncated] = useState(false);
  // The map_updates snapshot (contract revision 2) is the whole in-flight picture: it replaces the state.
  const fromSnapshot = useCallback((m: TopicMessage<'map_updates'>): Pin[] | undefined => {
    if (m.type !== 'snapshot') return undefined;
    setTruncated(m.data.truncated);
    return m.data.positions;
  }, []);
  const live = useLiveList({
    topic: 'map_updates',
    keyOf,
    fromEvent,
    fromSnapshot,
    filter: bbox ? { bbox } : undefined,
  });
  const pins = [...live.state.map.values()].filter(inFlight);
  const focus = routes.flatMap((r) => r.points);
  return (
    <section className="panel map" aria-labelledby="map-title" data-stale={live.stale}>
      <h2 id="map-title">
        Map{' '}
        <span className="count" title="Packages in flight in and around the area shown">
          {pins.length}
        </span>{' '}
        <StaleMark live={live} />
      </h2>
      <WorldMap
        label={`Map with ${pins.length} packages in flight${routes.length ? ` and ${routes.length} planned routes` : ''}`}
        pins={pins}
        routes={routes}
        focus={focus.length ? focus : undefined}
        onViewChange={onViewChange}
      />
      <Legend pins={pins} />
      {truncated && (
        <p className="hint">Showing the 5,000 most recently scanned packages of this area: zoom in to see the rest.</p>
      )}
    </section>
  );
}
