import type { PackageView, Place } from '../packages/package-view.js';
import { CARRIERS } from './carriers.js';
import { CITIES } from './cities.js';
import { haversineKm } from '../geo/great-circle.js';
import { Journey } from './journey.js';
import { Rng } from './random.js';
import { INCIDENTS, type Incident, type SimAction, type SimPackage, type SimulationOptions } from './sim-types.js';

const SECOND = 1000;
/** Share of packages that run into some trouble, spread evenly over the incident kinds. */
const INCIDENT_RATE = 0.4;
/** Parcels within one metro area (under 100 km): delivered minutes after start. */
const METRO_SHARE = 0.3;
const METRO_KM = 100;
/** Most others are regional: shipped to one of the few cities nearest their origin. */
const REGIONAL_SHARE = 0.5;

/** Pairs of distinct cities of one metro area, both ways. */
const METRO_PAIRS = CITIES.flatMap((a) =>
  CITIES.filter((b) => b !== a && haversineKm(a, b) < METRO_KM).map((b) => [a, b] as const),
);

/**
 * The demo traffic, as a pure, seeded state machine: `tick(now)` returns the next thing to do
 * (create a package or scan one), or undefined when nothing is due. The SimulatorService carries
 * the actions out through PackagesService, exactly as the REST API does.
 *
 * The first packages get one incident kind each, in turn, so every anomaly rule fires within
 * minutes of start whatever the seed; later ones get an incident at random.
 */
export class Simulation {
  private readonly rng: Rng;
  private readonly journey: Journey;
  private readonly live = new Map<string, SimPackage>();
  private created = 0;

  constructor(private readonly options: SimulationOptions) {
    this.rng = new Rng(options.seed);
    this.journey = new Journey(this.rng, options);
  }

  get size(): number {
    return this.live.size;
  }

  packages(): readonly SimPackage[] {
    return [...this.live.values()];
  }

  tick(now: number): SimAction | undefined {
    for (;;) {
      const due = this.earliestDue(now);
      if (!due) break;
      const action = this.journey.advance(due, now);
      if (due.status === 'delivered' || due.status === 'returned') this.live.delete(due.trackingNumber);
      if (action) return action;
    }
    return this.live.size < this.options.maxPackages ? this.create(now) : undefined;
  }

  /** The action could not be carried out (say a tracking number taken after a restart): drop it. */
  failed(action: SimAction): void {
    const trackingNumber = action.kind === 'create' ? action.input.trackingNumber : action.trackingNumber;
    this.live.delete(trackingNumber);
  }

  /** Takes over a package a previous run left in flight, so it does not sit there stuck. */
  adopt(view: PackageView, now: number): void {
    if (this.live.size >= this.options.maxPackages || this.live.has(view.trackingNumber)) return;
    this.live.set(view.trackingNumber, {
      trackingNumber: view.trackingNumber,
      carrier: view.carrier,
      origin: view.origin,
      destination: view.destination,
      position: { latitude: view.latitude, longitude: view.longitude },
      status: view.status,
      totalKm: haversineKm(view.origin, view.destination),
      hubDone: true,
      incidentDone: true,
      detourStepsLeft: 0,
      detourBearing: 0,
      inTransitScans: 0,
      lastScanAt: Math.min(now, Date.parse(view.lastScanTime)),
      nextAt: now + this.rng.between(1, 15) * SECOND,
    });
  }

  private earliestDue(now: number): SimPackage | undefined {
    let due: SimPackage | undefined;
    for (const p of this.live.values()) if (p.nextAt <= now && (!due || p.nextAt < due.nextAt)) due = p;
    return due;
  }

  private nextIncident(): Incident | undefined {
    const n = this.created++;
    if (n < INCIDENTS.length) return INCIDENTS[n];
    return this.rng.chance(INCIDENT_RATE) ? this.rng.pick(INCIDENTS) : undefined;
  }

  private route(): readonly [Place, Place] {
    if (this.rng.chance(METRO_SHARE)) return this.rng.pick(METRO_PAIRS);
    const origin = this.rng.pick(CITIES);
    const others = CITIES.filter((c) => c !== origin);
    const nearest = [...others].sort((a, b) => haversineKm(origin, a) - haversineKm(origin, b)).slice(0, 4);
    return [origin, this.rng.chance(REGIONAL_SHARE) ? this.rng.pick(nearest) : this.rng.pick(others)];
  }

  private create(now: number): SimAction {
    const [origin, destination] = this.route();
    const carrier = this.rng.pick(CARRIERS);
    const totalKm = haversineKm(origin, destination);
    const incident = this.nextIncident();
    // Flight time at cruise speed, plus handling, plus a quarter for slack: a promise normally kept.
    const expectedMs = (totalKm / (this.options.maxSpeedKmh * 0.8)) * 3_600_000 + 4 * 35 * SECOND;
    const etaMs =
      incident === 'tight_eta'
        ? now + this.rng.between(60, 100) * SECOND // a mis-promised express: late within two minutes
        : now + expectedMs * 1.25 + 60 * SECOND;
    const pkg: SimPackage = {
      trackingNumber: carrier.trackingNumber(this.rng),
      carrier: carrier.name,
      origin,
      destination,
      position: { latitude: origin.latitude, longitude: origin.longitude },
      status: 'created',
      totalKm,
      hubDone: false,
      incident,
      incidentDone: false,
      detourStepsLeft: 0,
      detourBearing: 0,
      inTransitScans: 0,
      lastScanAt: now,
      nextAt: now + this.rng.between(5, 15) * SECOND,
    };
    this.live.set(pkg.trackingNumber, pkg);
    return {
      kind: 'create',
      input: {
        trackingNumber: pkg.trackingNumber,
        carrier: carrier.name,
        origin,
        destination,
        estimatedDelivery: new Date(Math.round(etaMs / 60_000) * 60_000).toISOString(),
      },
    };
  }
}
