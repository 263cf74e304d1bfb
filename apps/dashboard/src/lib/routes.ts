import type { RouteLine } from '../components/MapView.js';

export interface StopPoint {
  id: string;
  latitude: number;
  longitude: number;
}

interface ResultRoute {
  vehicle?: unknown;
  stops?: unknown;
}

/**
 * Turns a schedule result (`routes: [{ vehicle, stops: [{ stopId, sequence }] }]`) into polylines
 * from the depot through the stops and back. Unknown shapes yield no lines rather than an error.
 */
export function routeLines(
  result: unknown,
  depot: { latitude: number; longitude: number },
  stops: StopPoint[],
): RouteLine[] {
  const byId = new Map(stops.map((s) => [s.id, s]));
  const routes = (result as { routes?: unknown } | null)?.routes;
  if (!Array.isArray(routes)) return [];
  return (routes as ResultRoute[]).flatMap((route, index) => {
    if (!Array.isArray(route.stops)) return [];
    const planned = (route.stops as { stopId?: unknown; id?: unknown; sequence?: unknown }[])
      .map((s, i) => ({
        id: typeof s.stopId === 'string' ? s.stopId : typeof s.id === 'string' ? s.id : '',
        sequence: typeof s.sequence === 'number' ? s.sequence : i,
      }))
      .sort((a, b) => a.sequence - b.sequence)
      .map((s) => byId.get(s.id))
      .filter((s): s is StopPoint => s !== undefined);
    if (planned.length === 0) return [];
    const home: [number, number] = [depot.longitude, depot.latitude];
    return [
      {
        vehicle: typeof route.vehicle === 'number' ? route.vehicle : index,
        points: [home, ...planned.map((s): [number, number] => [s.longitude, s.latitude]), home],
      },
    ];
  });
}

/** `id, latitude, longitude` per line; blank lines and # comments are skipped. */
export function parseStops(text: string): StopPoint[] | Error {
  const stops: StopPoint[] = [];
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [id, lat, lon] = line.split(',').map((s) => s.trim());
    const latitude = Number(lat);
    const longitude = Number(lon);
    if (
      !id ||
      !Number.isFinite(latitude) ||
      !Number.isFinite(longitude) ||
      Math.abs(latitude) > 90 ||
      Math.abs(longitude) > 180
    ) {
      return new Error(`line ${n + 1}: expected "id, latitude, longitude"`);
    }
    stops.push({ id, latitude, longitude });
  }
  return stops;
}

export function randomStops(depot: { latitude: number; longitude: number }, count: number): string {
  return Array.from({ length: count }, (_, i) => {
    const lat = depot.latitude + (Math.random() - 0.5) * 0.4;
    const lon = depot.longitude + (Math.random() - 0.5) * 0.6;
    return `S${i + 1}, ${lat.toFixed(4)}, ${lon.toFixed(4)}`;
  }).join('\n');
}
