import type { PackageStatus } from '@tracklight/protocol';
import { CITIES } from './cities.js';
import { bearing, haversineKm, intermediate, rounded, travel, type LatLon } from '../geo/great-circle.js';
import type { Rng } from './random.js';
import type { SimAction, SimPackage, SimulationOptions } from './sim-types.js';

/** Closer than this to the destination, the parcel has arrived and goes out for delivery. */
const ARRIVAL_KM = 1;
/** Routes longer than this stop once at a transfer hub halfway. */
const HUB_MIN_KM = 400;
const SECOND = 1000;

/**
 * Moves one simulated package a step: the next scan it produces at `now`, or undefined when it
 * only rescheduled itself (a stall). Movement follows the great circle to the destination at a
 * cruise speed below the impossible_travel limit, from the time elapsed since the last scan, so
 * the speed implied by consecutive scans is realistic whatever the scheduling delays.
 */
export class Journey {
  private readonly cruiseKmh: number;

  constructor(
    private readonly rng: Rng,
    private readonly options: SimulationOptions,
  ) {
    this.cruiseKmh = options.maxSpeedKmh * 0.8;
  }

  /** Ordinary gap between two scans of one package: well inside the stuck threshold. */
  private gap(): number {
    const max = Math.min(35 * SECOND, this.options.stuckAfterMs / 4);
    return this.rng.between(max / 2, max);
  }

  advance(p: SimPackage, now: number): SimAction | undefined {
    switch (p.status) {
      case 'created':
        return this.scan(p, now, 'picked_up', p.origin.name, p.origin);
      case 'picked_up':
      case 'in_transit':
      case 'at_facility': {
        const incident = this.incident(p, now);
        if (incident === 'rescheduled') return undefined;
        return incident ?? this.move(p, now);
      }
      case 'exception':
        // A quarter of customs holds end with the parcel sent back.
        if (this.rng.chance(0.25))
          return this.scan(p, now, 'returned', `Returned to sender from ${this.place(p.position)}`, p.position);
        return this.move(p, now);
      case 'out_for_delivery': {
        const door = travel(p.destination, this.rng.between(0, 360), this.rng.between(0.2, 2));
        return this.scan(p, now, 'delivered', p.destination.name, door);
      }
      case 'delivered':
      case 'returned':
        return undefined;
    }
  }

  /** The incident's own scan, 'rescheduled' when it only delays the package, or undefined. */
  private incident(p: SimPackage, now: number): SimAction | 'rescheduled' | undefined {
    if (!p.incident || p.incidentDone || p.inTransitScans < 1) return undefined;
    switch (p.incident) {
      case 'backward_scan':
        p.incidentDone = true;
        p.nextAt = now + this.gap();
        // A stale handheld re-scans the parcel as picked up: refused, it does not change anything.
        return {
          kind: 'scan',
          trackingNumber: p.trackingNumber,
          input: { status: 'picked_up', location: p.origin.name, ...rounded(p.position), scannedAt: iso(now) },
          expect: 'rejected',
        };
      case 'mis_keyed_location': {
        p.incidentDone = true;
        const far = this.farCity(p.position);
        const action = this.scan(p, now, p.status === 'at_facility' ? 'at_facility' : 'in_transit', far.name, far);
        // The parcel did not move: the next scan reports its real position again.
        return action;
      }
      case 'detour':
        p.incidentDone = true;
        p.detourStepsLeft = 4;
        p.detourBearing = (bearing(p.position, p.destination) + 180) % 360;
        return undefined;
      case 'stall':
        p.incidentDone = true;
        p.nextAt = now + this.options.stuckAfterMs * 1.5;
        return 'rescheduled';
      case 'customs_hold':
        p.incidentDone = true;
        return this.scan(p, now, 'exception', `Customs hold near ${this.place(p.position)}`, p.position, 2);
      case 'tight_eta':
        p.incidentDone = true;
        return undefined;
    }
  }

  private move(p: SimPackage, now: number): SimAction {
    const km = (this.cruiseKmh * (now - p.lastScanAt)) / 3_600_000;
    if (p.detourStepsLeft > 0) {
      p.detourStepsLeft--;
      p.position = travel(p.position, p.detourBearing, km);
      return this.scan(p, now, 'in_transit', `Off route near ${this.place(p.position)}`, p.position);
    }
    const remaining = haversineKm(p.position, p.destination);
    if (km >= remaining - ARRIVAL_KM) {
      p.position = { latitude: p.destination.latitude, longitude: p.destination.longitude };
      return this.scan(p, now, 'out_for_delivery', p.destination.name, p.destination);
    }
    const next = intermediate(p.position, p.destination, km / remaining);
    const travelled = p.totalKm - (remaining - km);
    if (!p.hubDone && p.totalKm >= HUB_MIN_KM && travelled >= p.totalKm / 2) {
      p.hubDone = true;
      p.position = next;
      return this.scan(p, now, 'at_facility', `Transfer hub near ${this.place(next)}`, next);
    }
    p.position = next;
    return this.scan(p, now, 'in_transit', `In transit near ${this.place(next)}`, next);
  }

  private scan(
    p: SimPackage,
    now: number,
    status: PackageStatus,
    location: string,
    at: LatLon,
    gapFactor = 1,
  ): SimAction {
    p.status = status;
    p.lastScanAt = now;
    p.nextAt = now + this.gap() * gapFactor;
    if (status === 'in_transit' || status === 'at_facility') p.inTransitScans++;
    return {
      kind: 'scan',
      trackingNumber: p.trackingNumber,
      input: { status, location, ...rounded(at), scannedAt: iso(now) },
      expect: 'accepted',
    };
  }

  /** "near Leipzig, DE" within 300 km of a known city, otherwise coordinates. */
  private place(at: LatLon): string {
    let best = CITIES[0];
    let bestKm = Infinity;
    for (const c of CITIES) {
      const km = haversineKm(c, at);
      if (km < bestKm) [best, bestKm] = [c, km];
    }
    if (bestKm <= 300) return best.name;
    return `${Math.abs(at.latitude).toFixed(1)}°${at.latitude >= 0 ? 'N' : 'S'} ${Math.abs(at.longitude).toFixed(1)}°${at.longitude >= 0 ? 'E' : 'W'}`;
  }

  /** A city at least 3,000 km away, for a scan keyed in at the wrong place. */
  private farCity(at: LatLon) {
    const far = CITIES.filter((c) => haversineKm(c, at) >= 3000);
    return this.rng.pick(far.length ? far : CITIES);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
