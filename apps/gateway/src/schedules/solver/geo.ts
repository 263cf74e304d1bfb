import { haversineRadKm, RAD } from '../../geo/great-circle.js';
import type { GeoPoint } from './types.js';

/**
 * Points prepared once (radians, cosine of latitude) so the many distance evaluations of the
 * heuristics cost a handful of float operations. Index 0 is the depot, stop i is index i + 1.
 */
export class Geometry {
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;
  private readonly cosLat: Float64Array;
  private readonly minutesPerKm: number;

  constructor(points: readonly GeoPoint[], speedKmh: number) {
    const n = points.length;
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.cosLat = new Float64Array(n);
    points.forEach((p, i) => {
      this.lat[i] = p.latitude * RAD;
      this.lon[i] = p.longitude * RAD;
      this.cosLat[i] = Math.cos(this.lat[i]);
    });
    this.minutesPerKm = 60 / speedKmh;
  }

  get size(): number {
    return this.lat.length;
  }

  /** Great-circle distance in km: the gateway's one haversine, on the prepared radians. */
  km(a: number, b: number): number {
    if (a === b) return 0;
    return haversineRadKm(this.lat[b] - this.lat[a], this.lon[b] - this.lon[a], this.cosLat[a], this.cosLat[b]);
  }

  minutes(a: number, b: number): number {
    return this.km(a, b) * this.minutesPerKm;
  }

  kmToMinutes(km: number): number {
    return km * this.minutesPerKm;
  }

  /** Bearing-free polar angle of b around a on a local equirectangular projection, in (-pi, pi]. */
  angle(a: number, b: number): number {
    return Math.atan2(this.lat[b] - this.lat[a], (this.lon[b] - this.lon[a]) * this.cosLat[a]);
  }

  /**
   * The k nearest other points of every point (depot excluded), nearest first, ties by index, so
   * the result is deterministic. O(n^2) time, O(n*k) memory.
   */
  neighbours(k: number): Int32Array[] {
    const n = this.size;
    const out: Int32Array[] = [new Int32Array(0)];
    const dist = new Float64Array(n);
    const order: number[] = [];
    for (let i = 1; i < n; i++) {
      order.length = 0;
      for (let j = 1; j < n; j++) {
        if (j === i) continue;
        dist[j] = this.km(i, j);
        order.push(j);
      }
      const take = Math.min(k, order.length);
      out.push(Int32Array.from(partialSort(order, dist, take)));
    }
    return out;
  }
}

/** The `take` smallest entries of `items` by `key`, sorted, ties by value. */
function partialSort(items: number[], key: Float64Array, take: number): number[] {
  if (take >= items.length / 4) {
    return items.sort((x, y) => key[x] - key[y] || x - y).slice(0, take);
  }
  // A bounded insertion list beats a full sort when take is small next to n.
  const best: number[] = [];
  for (const x of items) {
    if (best.length === take) {
      const last = best[take - 1];
      if (key[x] > key[last] || (key[x] === key[last] && x > last)) continue;
      best.pop();
    }
    let pos = best.length;
    while (pos > 0 && (key[best[pos - 1]] > key[x] || (key[best[pos - 1]] === key[x] && best[pos - 1] > x))) pos--;
    best.splice(pos, 0, x);
  }
  return best;
}
