import { CITIES, type City } from './cities.js';
import { kmAcross, x, y, type Box } from './geometry.js';
import { placeLabels, type PlacedLabel, type Rect } from './place-labels.js';

/** The view on screen: its box and how many screen pixels one map unit takes. */
export interface Screen {
  box: Box;
  pixelsPerUnit: number;
}

export const LABEL_PX = 12;
export const CITY_DOT_PX = 2.5;
/** Screen area per label at most, so a small map (a phone) names fewer places than a wide one. */
const PX2_PER_LABEL = 9000;

/** The least important tier named, and how many at most, by the ground the view spans. */
export function detailFor(km: number): { tier: City[3]; most: number } {
  // The whole world: a handful of megacities, spread out; more would only be noise.
  if (km > 12000) return { tier: 1, most: 8 };
  if (km > 3000) return { tier: 2, most: Infinity };
  if (km > 1000) return { tier: 3, most: Infinity };
  return { tier: 4, most: Infinity };
}

/**
 * The cities named in a view, placed in screen pixels (origin at the box's top left): only those
 * inside it, the most important first, each skipped when its label would overlap one already
 * placed, an obstacle, or the edge.
 */
export function cityLabels({ box, pixelsPerUnit }: Screen, obstacles: Rect[] = [], clearance = 0): PlacedLabel[] {
  const [bx, by, w, h] = box;
  const width = w * pixelsPerUnit;
  const height = h * pixelsPerUnit;
  const { tier, most } = detailFor(kmAcross(box));
  const requests = CITIES.filter(([, lon, lat, t]) => {
    const cx = x(lon);
    const cy = y(lat);
    return t <= tier && cx >= bx && cx <= bx + w && cy >= by && cy <= by + h;
  })
    // Stable: within a tier, the list's order (importance) decides, so labels hold still while panning.
    .sort((a, b) => a[3] - b[3])
    .map(([name, lon, lat, t]) => ({
      key: name,
      text: name,
      x: (x(lon) - bx) * pixelsPerUnit,
      y: (y(lat) - by) * pixelsPerUnit,
      fontPx: LABEL_PX,
      strong: t <= 2,
    }));
  return placeLabels(requests, {
    width,
    height,
    most: Math.min(most, Math.floor((width * height) / PX2_PER_LABEL)),
    obstacles,
    clearance,
    dotRadius: CITY_DOT_PX,
  });
}
