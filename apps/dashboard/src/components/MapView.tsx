import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { PackageStatus } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { emptyKeyed, upsert, type Keyed } from '../lib/keyed.js';
import { WORLD_LAND_PATH } from '../map/world-land.js';

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

const reducer = (state: Keyed<Position>, m: TopicMessage<'map_updates'>) => {
  const { trackingNumber, latitude, longitude, status } = m.data;
  return upsert(state, m.data.packageId, { trackingNumber, latitude, longitude, status });
};

const ROUTE_COLOURS = ['#b3003c', '#005a9c', '#1b7a1b', '#8a4b00', '#5b2a86', '#006d6d'];
const x = (lon: number) => lon + 180;
const y = (lat: number) => 90 - lat;

/** Package positions from map_updates and planned routes on an offline world base layer. */
export function MapView({ routes }: { routes: RouteLine[] }) {
  const [initial] = useState(() => emptyKeyed<Position>());
  const positions = useTopic('map_updates', reducer, initial);
  const points = [...positions.map.values()];
  return (
    <section className="panel map" aria-labelledby="map-title">
      <h2 id="map-title">
        Map <span className="count">{points.length}</span>
      </h2>
      <svg
        viewBox="0 0 360 180"
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
            stroke={ROUTE_COLOURS[r.vehicle % ROUTE_COLOURS.length]}
            points={r.points.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join(' ')}
          />
        ))}
        {points.map((p) => (
          <circle
            key={p.trackingNumber}
            cx={x(p.longitude)}
            cy={y(p.latitude)}
            r={1.4}
            className={`pin status-${p.status}`}
          >
            <title>{`${p.trackingNumber}: ${p.status.replace(/_/g, ' ')}`}</title>
          </circle>
        ))}
      </svg>
    </section>
  );
}
