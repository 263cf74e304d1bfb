/** Equirectangular: the world is 360 × 180 user units, x = longitude + 180, y = 90 − latitude. */
export const x = (lon: number): number => lon + 180;
export const y = (lat: number): number => 90 - lat;
export const lonOf = (px: number): number => px - 180;
export const latOf = (py: number): number => 90 - py;

export type Box = [number, number, number, number];
export const WORLD: Box = [0, 0, 360, 180];

/** The box around the points (lon, lat), padded, with the map's 2:1 aspect; the world when empty. */
export function fitBox(points: [number, number][], minWidth = 0.5): Box {
  if (points.length === 0) return WORLD;
  const xs = points.map(([lon]) => x(lon));
  const ys = points.map(([, lat]) => y(lat));
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const width = Math.max(
    (Math.max(...xs) - Math.min(...xs)) * 1.3,
    (Math.max(...ys) - Math.min(...ys)) * 2.6,
    minWidth,
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
