import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { PackageStatus } from '@tracklight/protocol';
import { packageHref } from '../lib/hash-route.js';
import { words } from '../lib/format.js';
import { CityLabels, type Marker } from './CityLabels.js';
import { clampBox, fitBox, WORLD, x, y, zoomAt, type Box } from './geometry.js';
import { ROUTE_COLOURS, STATUS_COLOURS } from './status-colours.js';
import { useViewSize } from './use-view-size.js';
import { WORLD_LAND_PATH } from './world-land.js';

export interface Pin {
  trackingNumber: string;
  longitude: number;
  latitude: number;
  status: PackageStatus;
}

export interface RouteLine {
  vehicle: number;
  /** [longitude, latitude] from the depot through every stop and back. */
  points: [number, number][];
}

interface Props {
  label: string;
  pins: Pin[];
  routes?: RouteLine[];
  /** One package's path, oldest first. */
  trail?: [number, number][];
  /** Points the view fits whenever they change (a trail, routes); the whole world otherwise. */
  focus?: [number, number][];
  onViewChange?: (box: Box) => void;
}

/** Above this many pins in view, pins are grouped per grid cell with their count. */
const CLUSTER_ABOVE = 300;
const CELLS_ACROSS = 28;

interface Cluster {
  key: string;
  cx: number;
  cy: number;
  count: number;
}

function clusters(pins: Pin[], box: Box): Cluster[] {
  const cell = box[2] / CELLS_ACROSS;
  const cells = new Map<string, Cluster>();
  for (const p of pins) {
    const ix = Math.floor(x(p.longitude) / cell);
    const iy = Math.floor(y(p.latitude) / cell);
    const key = `${ix}:${iy}`;
    // Drawn at the cell's centre (not the pins' average), so two clusters never overlap.
    const c = cells.get(key) ?? { key, cx: (ix + 0.5) * cell, cy: (iy + 0.5) * cell, count: 0 };
    c.count += 1;
    cells.set(key, c);
  }
  return [...cells.values()];
}

/** At most half a cell across, so neighbouring clusters never cover each other. */
const clusterRadius = (c: Cluster, box: Box) =>
  Math.min(box[2] / CELLS_ACROSS / 2, (box[2] / 100) * (1.4 + Math.log10(c.count) * 0.6));

/** Pins labels keep clear of, up to this many in view; past that they stay still rather than dodge moving pins. */
const AVOID_PINS_UP_TO = 20;
/** The width assumed before the map is measured (and in jsdom). */
const UNMEASURED_PX = 1000;

const inBox = ([bx, by, w, h]: Box, px: number, py: number) => px >= bx && px <= bx + w && py >= by && py <= by + h;

/**
 * An offline world map (no tiles, no network): land from world-land.ts, pins coloured by status
 * that open their package, clusters when thousands are in view, routes with the depot and numbered
 * stops, a package trail; zoom with the wheel or the buttons, pan by dragging.
 */
export function WorldMap({ label, pins, routes = [], trail, focus, onViewChange }: Props) {
  const focusKey = JSON.stringify(focus ?? null);
  const [box, setBox] = useState<Box>(() => (focus?.length ? fitBox(focus) : WORLD));
  const svgRef = useRef<SVGSVGElement>(null);
  const toolsRef = useRef<HTMLDivElement>(null);
  const size = useViewSize(svgRef, toolsRef);
  const drag = useRef<{ sx: number; sy: number; box: Box; moved: boolean } | null>(null);
  const boxRef = useRef(box);
  boxRef.current = box;

  useEffect(() => {
    const points = JSON.parse(focusKey) as [number, number][] | null;
    setBox(points?.length ? fitBox(points) : WORLD);
  }, [focusKey]);

  useEffect(() => onViewChange?.(box), [box, onViewChange]);

  // React's wheel listener is passive; zooming must stop the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = svg.getBoundingClientRect();
      const [bx, by, w, h] = boxRef.current;
      const px = bx + ((event.clientX - rect.left) / rect.width) * w;
      const py = by + ((event.clientY - rect.top) / rect.height) * h;
      setBox(zoomAt(boxRef.current, event.deltaY > 0 ? 1.25 : 0.8, px, py));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    drag.current = { sx: event.clientX, sy: event.clientY, box, moved: false };
  };
  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    const d = drag.current;
    if (!d || !svgRef.current) return;
    const dx = event.clientX - d.sx;
    const dy = event.clientY - d.sy;
    if (!d.moved && Math.hypot(dx, dy) < 4) return;
    if (!d.moved) svgRef.current.setPointerCapture(event.pointerId);
    d.moved = true;
    const scale = d.box[2] / svgRef.current.getBoundingClientRect().width;
    setBox(clampBox([d.box[0] - dx * scale, d.box[1] - dy * scale, d.box[2], d.box[3]]));
  };
  const onPointerUp = () => {
    // A drag that ends on a pin must not open it: the click that follows is swallowed below.
    setTimeout(() => (drag.current = null), 0);
  };

  const visible = useMemo(() => pins.filter((p) => inBox(box, x(p.longitude), y(p.latitude))), [pins, box]);
  const grouped = useMemo(() => (visible.length > CLUSTER_ABOVE ? clusters(visible, box) : undefined), [visible, box]);
  const unit = box[2] / 100;
  // The viewBox is fitted into the element whole (meet), centred where the aspect differs.
  const pixelsPerUnit = size ? Math.min(size.width / box[2], size.height / box[3]) : UNMEASURED_PX / box[2];
  const reserved = useMemo(
    () =>
      size?.tools && {
        ...size.tools,
        x: size.tools.x - (size.width - box[2] * pixelsPerUnit) / 2,
        y: size.tools.y - (size.height - box[3] * pixelsPerUnit) / 2,
      },
    [size, box, pixelsPerUnit],
  );
  const avoidedPins = !grouped && visible.length <= AVOID_PINS_UP_TO ? visible : undefined;
  // Kept while what names avoid is unchanged: a live update of pins the names ignore (more than
  // AVOID_PINS_UP_TO, no clusters) re-renders the map without placing every name again.
  const markers = useMemo(
    (): Marker[] => [
      ...(trail ?? []).map(([lon, lat]): Marker => [x(lon), y(lat), unit * 0.7]),
      ...routes.flatMap((r) => r.points.map(([lon, lat]): Marker => [x(lon), y(lat), unit * 1.6])),
      // Clusters sit at fixed cell centres, so names can keep clear of them without moving about.
      ...(grouped ?? []).map((c): Marker => [c.cx, c.cy, clusterRadius(c, box)]),
      ...(avoidedPins ?? []).map((p): Marker => [x(p.longitude), y(p.latitude), unit * 1.1]),
    ],
    [trail, routes, grouped, avoidedPins, unit, box],
  );
  const zoom = (factor: number) => setBox(zoomAt(box, factor, box[0] + box[2] / 2, box[1] + box[3] / 2));

  return (
    <div className="world-map">
      <svg
        ref={svgRef}
        viewBox={box.join(' ')}
        role="group"
        aria-label={label}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onClickCapture={(e) => {
          if (drag.current?.moved) {
            e.preventDefault();
            e.stopPropagation();
          }
        }}
      >
        <rect width="360" height="180" className="sea" />
        {/* Shapes crossing the antimeridian are unwrapped past the box: the shifted copies show the rest. */}
        <path d={WORLD_LAND_PATH} className="land" />
        <path d={WORLD_LAND_PATH} className="land" transform="translate(-360 0)" />
        <path d={WORLD_LAND_PATH} className="land" transform="translate(360 0)" />
        <CityLabels box={box} pixelsPerUnit={pixelsPerUnit} markers={markers} reserved={reserved} />
        {routes.map((r) => (
          <polyline
            key={`route-${r.vehicle}`}
            className="route"
            vectorEffect="non-scaling-stroke"
            stroke={ROUTE_COLOURS[r.vehicle % ROUTE_COLOURS.length]}
            points={r.points.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join(' ')}
          />
        ))}
        {routes.flatMap((r) =>
          r.points.slice(1, -1).map(([lon, lat], i) => (
            <g key={`stop-${r.vehicle}-${i}`} className="stop">
              <circle cx={x(lon)} cy={y(lat)} r={unit * 1.6} fill={ROUTE_COLOURS[r.vehicle % ROUTE_COLOURS.length]} />
              <text x={x(lon)} y={y(lat)} fontSize={unit * 1.8} dy="0.35em" textAnchor="middle">
                {i + 1}
              </text>
            </g>
          )),
        )}
        {routes[0] && (
          <g className="depot">
            <rect
              x={x(routes[0].points[0][0]) - unit * 1.6}
              y={y(routes[0].points[0][1]) - unit * 1.6}
              width={unit * 3.2}
              height={unit * 3.2}
            />
            <title>Depot</title>
          </g>
        )}
        {trail && trail.length > 0 && (
          <g className="trail">
            <polyline
              vectorEffect="non-scaling-stroke"
              points={trail.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join(' ')}
            />
            {trail.map(([lon, lat], i) => (
              <circle key={i} cx={x(lon)} cy={y(lat)} r={unit * 0.7} />
            ))}
          </g>
        )}
        {grouped
          ? grouped.map((c) => (
              <g
                key={c.key}
                className="cluster"
                role="button"
                tabIndex={0}
                aria-label={`${c.count} packages here: zoom in`}
                onClick={() => setBox(zoomAt(box, 0.35, c.cx, c.cy))}
                onKeyDown={(e) => e.key === 'Enter' && setBox(zoomAt(box, 0.35, c.cx, c.cy))}
              >
                <circle cx={c.cx} cy={c.cy} r={clusterRadius(c, box)} />
                <text x={c.cx} y={c.cy} dy="0.35em" textAnchor="middle" fontSize={unit * 1.3}>
                  {c.count}
                </text>
              </g>
            ))
          : visible.map((p) => (
              <a key={p.trackingNumber} href={packageHref(p.trackingNumber)} className="pin-link">
                <circle
                  cx={x(p.longitude)}
                  cy={y(p.latitude)}
                  r={unit * 1.1}
                  className={`pin status-${p.status}`}
                  fill={STATUS_COLOURS[p.status]}
                  data-tracking={p.trackingNumber}
                />
                <title>{`${p.trackingNumber}: ${words(p.status)} (open)`}</title>
              </a>
            ))}
      </svg>
      <div className="map-tools" ref={toolsRef}>
        <button type="button" onClick={() => zoom(0.6)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(1 / 0.6)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setBox(focus?.length ? fitBox(focus) : WORLD)}>
          Reset view
        </button>
      </div>
    </div>
  );
}
