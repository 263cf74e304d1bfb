import { useMemo } from 'react';
import { CITY_DOT_PX, cityLabels, LABEL_PX } from './city-labels.js';
import type { Box } from './geometry.js';
import { square, type Rect } from './place-labels.js';

/** A circle drawn over the map (pin, trail point, stop), in map units: [x, y, radius]. */
export type Marker = [number, number, number];

interface Props {
  box: Box;
  pixelsPerUnit: number;
  /** What names must not hide, in map units. */
  markers: Marker[];
  /** Screen pixels kept free (the zoom buttons), relative to the box's top left. */
  reserved?: Rect;
}

/**
 * Names of the major places in view, under everything else drawn on the map: context for a pin,
 * never in its way (no pointer events, hidden from assistive technology like the land itself).
 */
export function CityLabels({ box, pixelsPerUnit: ppu, markers, reserved }: Props) {
  const [bx, by] = box;
  // Placement is the costly part; the map re-renders on every live update, the names only move
  // with these (the caller keeps each one while it is unchanged).
  const placed = useMemo(() => {
    const obstacles = markers.map(([mx, my, r]) => square((mx - box[0]) * ppu, (my - box[1]) * ppu, r * ppu));
    if (reserved) obstacles.push(reserved);
    const clearance = Math.max(0, ...markers.map(([, , r]) => r * ppu));
    return cityLabels({ box, pixelsPerUnit: ppu }, obstacles, clearance);
  }, [box, ppu, markers, reserved]);
  const u = (px: number) => px / ppu;
  return (
    <g className="city-labels" pointerEvents="none" aria-hidden="true">
      {placed.map((l) => (
        <g
          key={l.key}
          className={l.strong ? 'city strong' : 'city'}
          data-city={l.key}
          data-box={[l.box.x, l.box.y, l.box.width, l.box.height].map((n) => n.toFixed(1)).join(' ')}
        >
          <circle cx={bx + u(l.x)} cy={by + u(l.y)} r={u(CITY_DOT_PX)} />
          <text
            x={bx + u(l.textX)}
            y={by + u(l.textY)}
            dy="0.35em"
            textAnchor={l.anchor}
            fontSize={u(LABEL_PX)}
            strokeWidth={u(3)}
          >
            {l.text}
          </text>
        </g>
      ))}
    </g>
  );
}
