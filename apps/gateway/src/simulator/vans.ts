import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { UnpublishedWriteError } from '../bus/unpublished-write.error.js';
import { VehiclesService } from '../vehicles/vehicles.service.js';
import { CITIES } from './cities.js';
import { bearing, haversineKm, intermediate, rounded, type LatLon } from '../geo/great-circle.js';

/** Delivery vans shuttling between neighbouring hubs, so the map's vehicle layer moves. */
const ROUTES: readonly (readonly [string, string])[] = [
  ['Amsterdam, NL', 'Rotterdam, NL'],
  ['Antwerp, BE', 'Brussels, BE'],
  ['Cologne, DE', 'Frankfurt, DE'],
  ['London, GB', 'Paris, FR'],
];
const REPORT_EVERY_MS = 2000;
const SPEED_KMH = 80;
/** Demo time runs faster than real time, so a van visibly moves between two reports. */
const TIME_FACTOR = 30;

export interface Van {
  id: string;
  from: LatLon;
  to: LatLon;
  /** 0..1 along the leg from `from` to `to`. */
  progress: number;
}

const city = (name: string): LatLon => {
  const found = CITIES.find((c) => c.name === name);
  if (!found) throw new Error(`unknown city ${name}`);
  return found;
};

export function initialVans(): Van[] {
  return ROUTES.map(([a, b], i) => ({ id: `van-${i + 1}`, from: city(a), to: city(b), progress: (i * 0.23) % 1 }));
}

/** Moves a van `elapsedMs` of demo time along its leg; at the end it turns back. */
export function drive(van: Van, elapsedMs: number): { position: LatLon; heading: number } {
  const legKm = haversineKm(van.from, van.to);
  van.progress += legKm > 0 ? (SPEED_KMH * (elapsedMs / 3_600_000) * TIME_FACTOR) / legKm : 1;
  if (van.progress >= 1) {
    [van.from, van.to] = [van.to, van.from];
    van.progress = 0;
  }
  const position = rounded(intermediate(van.from, van.to, van.progress));
  return { position, heading: Math.round(bearing(position, van.to)) % 360 };
}

/** Reports every van's position through VehiclesService, as a real telematics box would over REST. */
@Injectable()
export class SimulatedVans implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(SimulatedVans.name);
  private readonly vans = initialVans();
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly vehicles: VehiclesService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), REPORT_EVERY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private tick(): void {
    if (this.inFlight || !this.timer) return;
    this.inFlight = this.report().finally(() => {
      this.inFlight = undefined;
    });
  }

  private async report(): Promise<void> {
    for (const van of this.vans) {
      const { position, heading } = drive(van, REPORT_EVERY_MS);
      try {
        await this.vehicles.report(van.id, { ...position, speedKmh: SPEED_KMH, heading });
      } catch (err) {
        // Stored, only its live event was lost (bus down): the next report announces it again.
        if (!(err instanceof UnpublishedWriteError)) this.log.debug(`van ${van.id}: ${String(err)}`);
      }
    }
  }
}
