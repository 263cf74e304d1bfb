/** Equirectangular: the world is 360 × 180 user units, x = longitude + 180, y = 90 − latitude. */
export const x = (lon: number): number => lon + 180;
export const y = (lat: number): number => 90 - lat;
export const lonOf = (px: number): number => px - 180;
export const latOf = (py: number): number => 90 - py;

export type Box = [number, number, number, number];
export const WORLD: Box = [0, 0, 360, 180];

/**
 * The closest a fitted view gets, in km across (west to east). The land is Natural Earth 1:110m
 * (1 mm on its paper is 110 km), so its coastlines carry no detail below some tens of km: a package
 * with one scan, or a trail inside one city, fitted tighter is a dot on a blank of land or sea,
 * with no hint of where that is. Zooming in by hand is still allowed.
 */
export const MIN_FIT_KM = 400;
const KM_PER_DEGREE = 111.32;

/** Degrees of longitude spanning `km` at latitude `lat` (wider towards the poles, the world at most). */
export function degreesAcross(km: number, lat: number): number {
  const cos = Math.cos((Math.min(89, Math.abs(lat)) * Math.PI) / 180);
  return Math.min(360, km / (KM_PER_DEGREE * cos));
}

/** Kilometres across a box at its centre's latitude: the inverse of degreesAcross. */
export function kmAcross([, by, w, h]: Box): number {
  return w * KM_PER_DEGREE * Math.cos((latOf(by + h / 2) * Math.PI) / 180);
}

/**
 * The box around the points (lon, lat), padded, with the map's 2:1 aspect, never narrower than
 * `minKm` across; the world when empty.
 */
export function fitBox(points: [number, number][], minKm = MIN_FIT_KM): Box {
  if (points.length === 0) return WORLD;
  const xs = points.map(([lon]) => x(lon));
  const ys = points.map(([, lat]) => y(lat));
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const width = Math.max(
    (Math.max(...xs) - Math.min(...xs)) * 1.3,
    (Math.max(...ys) - Math.min(...ys)) * 2.6,
    degreesAcross(minKm, latOf(cy)),
  );
  return clampBox([cx - width / 2, cy - width / 4, width, width / 2]);
}

/** Never wider than the world, never panned off it. */
export function clampBox([bx, by, w, h]: Box): Box {
  const width = Math.min(w, 360);
  const height = Math.min(h, 180, width / 2);
  return [Math.max(0, Math.min(bx, 360 - width)), Math.max(0, Math.min(by, 180 - height)), width, height];
}

/** Zooms by `factor` (< 1 zooms in) keeping the point (px, py) where it is on screen. */
export function zoomAt([bx, by, w, h]: Box, factor: number, px: number, py: number): Box {
  const width = Math.max(0.05, Math.min(360, w * factor));
  const k = width / w;
  return clampBox([px - (px - bx) * k, py - (py - by) * k, width, h * k]);
}

/** The contract's bbox [west, south, east, north] of a view, or undefined when it is the whole world. */
export function bboxOf([bx, by, w, h]: Box): [number, number, number, number] | undefined {
  if (w >= 359) return undefined;
  const r = (n: number) => Math.round(n * 100) / 100;
  return [r(lonOf(bx)), r(Math.max(-90, latOf(by + h))), r(lonOf(bx + w)), r(Math.min(90, latOf(by)))];
}
