/**
 * Spherical-earth geometry for the whole gateway: the simulator's routes, the anomaly rules'
 * distances and the schedule solver's cost matrix all use this one radius and one formula, so a
 * distance the solver plans and the one the anomaly rules measure agree. A sphere is within 0.5%
 * of the ellipsoid, plenty for parcels.
 *
 * This folder imports nothing outside itself: the solver's worker thread loads it (worker-script.ts
 * compiles it next to the solver when running from sources).
 */

/** The IUGG mean Earth radius. */
export const EARTH_RADIUS_KM = 6371.0088;

export interface LatLon {
  latitude: number;
  longitude: number;
}

export const RAD = Math.PI / 180;
const rad = (deg: number) => deg * RAD;
const deg = (r: number) => r / RAD;

/**
 * The haversine distance in km from latitude/longitude differences in radians and the cosines of
 * both latitudes, for callers (the solver) that prepare those once per point.
 */
export function haversineRadKm(dLat: number, dLon: number, cosLatA: number, cosLatB: number): number {
  const sLat = Math.sin(dLat / 2);
  const sLon = Math.sin(dLon / 2);
  const h = sLat * sLat + cosLatA * cosLatB * sLon * sLon;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in km. */
export function haversineKm(a: LatLon, b: LatLon): number {
  return haversineRadKm(
    rad(b.latitude - a.latitude),
    rad(b.longitude - a.longitude),
    Math.cos(rad(a.latitude)),
    Math.cos(rad(b.latitude)),
  );
}

/** Normalises a longitude into [-180, 180]. */
function wrap(longitude: number): number {
  const l = ((((longitude + 180) % 360) + 360) % 360) - 180;
  return l === -180 && longitude > 0 ? 180 : l;
}

/** The point a fraction `f` (0..1) of the way from `a` to `b` along the great circle. */
export function intermediate(a: LatLon, b: LatLon, f: number): LatLon {
  const d = haversineKm(a, b) / EARTH_RADIUS_KM;
  if (d === 0) return { ...a };
  const A = Math.sin((1 - f) * d) / Math.sin(d);
  const B = Math.sin(f * d) / Math.sin(d);
  const [la1, lo1, la2, lo2] = [rad(a.latitude), rad(a.longitude), rad(b.latitude), rad(b.longitude)];
  const x = A * Math.cos(la1) * Math.cos(lo1) + B * Math.cos(la2) * Math.cos(lo2);
  const y = A * Math.cos(la1) * Math.sin(lo1) + B * Math.cos(la2) * Math.sin(lo2);
  const z = A * Math.sin(la1) + B * Math.sin(la2);
  return { latitude: deg(Math.atan2(z, Math.hypot(x, y))), longitude: wrap(deg(Math.atan2(y, x))) };
}

/** Initial bearing (degrees from north) of the great circle from `a` to `b`. */
export function bearing(a: LatLon, b: LatLon): number {
  const [la1, la2, dLon] = [rad(a.latitude), rad(b.latitude), rad(b.longitude - a.longitude)];
  const y = Math.sin(dLon) * Math.cos(la2);
  const x = Math.cos(la1) * Math.sin(la2) - Math.sin(la1) * Math.cos(la2) * Math.cos(dLon);
  return (deg(Math.atan2(y, x)) + 360) % 360;
}

/** The point `km` away from `from` on the given bearing. */
export function travel(from: LatLon, bearingDeg: number, km: number): LatLon {
  const d = km / EARTH_RADIUS_KM;
  const [la1, lo1, b] = [rad(from.latitude), rad(from.longitude), rad(bearingDeg)];
  const la2 = Math.asin(Math.sin(la1) * Math.cos(d) + Math.cos(la1) * Math.sin(d) * Math.cos(b));
  const lo2 = lo1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(la1), Math.cos(d) - Math.sin(la1) * Math.sin(la2));
  return { latitude: deg(la2), longitude: wrap(deg(lo2)) };
}

/** Coordinates rounded to ~1 m, as a scanner would report them. */
export function rounded(p: LatLon): LatLon {
  return { latitude: Math.round(p.latitude * 1e5) / 1e5, longitude: Math.round(p.longitude * 1e5) / 1e5 };
}
