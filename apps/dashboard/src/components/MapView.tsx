import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { PackageStatus } from '@tracklight/protocol';
import { useLiveList } from '@tracklight/react';
import { WORLD_LAND_PATH } from '../map/world-land.js';
import { StaleMark } from './StaleMark.js';

export interface Position {
  trackingNumber: string;
  latitude: number;
  longitude: number;
  status: PackageStatus;
}

export interface RouteLine {
  vehicle: number;
  /** [longitude, latitude] from the depot through every stop and back. */
  points: [number, number][];
}

const keyOf = (p: Position) => p.trackingNumber;
const fromEvent = (m: TopicMessage<'map_updates'>): Position | undefined =>
  m.type === 'map_update' ? m.data : undefined;
/** The map_updates snapshot (contract revision 2) is the whole in-flight picture: it replaces the state. */
const fromSnapshot = (m: TopicMessage<'map_updates'>): Position[] | undefined =>
  m.type === 'snapshot' ? m.data.positions : undefined;

/** The box around every route point, padded, with the map's 2:1 aspect; the whole world otherwise. */
function viewBoxOf(routes: RouteLine[], fitRoutes: boolean): [number, number, number, number] {
  const points = fitRoutes ? routes.flatMap((r) => r.points) : [];
  if (points.length === 0) return [0, 0, 360, 180];
  const xs = points.map(([lon]) => x(lon));
  const ys = points.map(([, lat]) => y(lat));
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const width = Math.max((Math.max(...xs) - Math.min(...xs)) * 1.3, (Math.max(...ys) - Math.min(...ys)) * 2.6, 0.5);
  return [cx - width / 2, cy - width / 4, width, width / 2];
}

const ROUTE_COLOURS = ['#b3003c', '#005a9c', '#1b7a1b', '#8a4b00', '#5b2a86', '#006d6d'];
const x = (lon: number) => lon + 180;
const y = (lat: number) => 90 - lat;

/** Package positions from map_updates and planned routes on an offline world base layer. */
export function MapView({ routes }: { routes: RouteLine[] }) {
  const live = useLiveList({ topic: 'map_updates', keyOf, fromEvent, fromSnapshot });
  const points = [...live.state.map.values()];
  const [fitRoutes, setFitRoutes] = useState(true);
  const box = viewBoxOf(routes, fitRoutes);
  const pinRadius = box[2] / 250;
  return (
    <section className="panel map" aria-labelledby="map-title" data-stale={live.stale}>
      <h2 id="map-title">
        Map <span className="count">{points.length}</span> <StaleMark live={live} />
      </h2>
      <svg
        viewBox={box.join(' ')}
        overflow="hidden"
        role="img"
        aria-label={`World map with ${points.length} package positions and ${routes.length} planned routes`}
      >
        <rect width="360" height="180" className="sea" />
        {/* Shapes crossing the antimeridian extend past the box: the shifted copies show the rest. */}
        <path d={WORLD_LAND_PATH} className="land" />
        <path d={WORLD_LAND_PATH} className="land" transform="translate(-360 0)" />
        <path d={WORLD_LAND_PATH} className="land" transform="translate(360 0)" />
        {routes.map((r) => (
          <polyline
            key={r.vehicle}
            className="route"
            vectorEffect="non-scaling-stroke"
            stroke={ROUTE_COLOURS[r.vehicle % ROUTE_COLOURS.length]}
            points={r.points.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join(' ')}
          />
        ))}
        {routes.flatMap((r) =>
          r.points
            .slice(1, -1)
            .map(([lon, lat], i) => (
              <circle
                key={`${r.vehicle}-${i}`}
                cx={x(lon)}
                cy={y(lat)}
                r={pinRadius * 0.8}
                fill={ROUTE_COLOURS[r.vehicle % ROUTE_COLOURS.length]}
              />
            )),
        )}
        {points.map((p) => (
          <circle
            key={p.trackingNumber}
            cx={x(p.longitude)}
            cy={y(p.latitude)}
            r={pinRadius}
            className={`pin status-${p.status}`}
          >
            <title>{`${p.trackingNumber}: ${p.status.replace(/_/g, ' ')}`}</title>
          </circle>
        ))}
      </svg>
      {routes.length > 0 && (
        <div className="row map-controls">
          <button type="button" aria-pressed={fitRoutes} onClick={() => setFitRoutes(true)}>
            Zoom to routes
          </button>
          <button type="button" aria-pressed={!fitRoutes} onClick={() => setFitRoutes(false)}>
            Whole world
          </button>
        </div>
      )}
    </section>
  );
}
