import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PackageQuery } from '../packages/package-query.js';
import { PackagesService } from '../packages/packages.service.js';
import { isSimulatedTrackingNumber } from './carriers.js';
import type { SimAction } from './sim-types.js';
import { Simulation } from './simulation.js';
import { ROUND_RATE, SIMULATOR_SETTINGS, type SimulatorSettings } from './simulator-settings.js';

/** Length of one round at high rates. */
const ROUND_MS = 50;

/**
 * Drives the Simulation in real time: one action per 1/rate seconds, carried out through
 * PackagesService (the same validation, transitions, storage and events as the REST API). An
 * action never overlaps the previous one, so a slow database slows the demo instead of piling up.
 *
 * Above ROUND_RATE actions per second (a timer cannot fire that often) it works in rounds of
 * ROUND_MS: the round's creations first, then all its scans at once, which the write queue
 * commits together like a POST /scans batch. A round never overlaps the previous one either.
 */
@Injectable()
export class SimulatorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(SimulatorService.name);
  readonly simulation: Simulation;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private actions = 0;
  /** Fraction of an action owed from the previous round. */
  private carry = 0;

  constructor(
    private readonly packages: PackagesService,
    private readonly query: PackageQuery,
    @Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.simulation = new Simulation({
      seed: settings.seed,
      maxPackages: settings.maxPackages,
      maxSpeedKmh: config.anomalies.maxSpeedKmh,
      stuckAfterMs: config.anomalies.stuckAfterMs,
    });
  }

  /** Actions carried out since start (for tests and logs). */
  get performed(): number {
    return this.actions;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.adoptLeftovers();
    this.log.log(
      `demo simulator on: ${this.settings.ratePerSecond} actions/s, up to ${this.settings.maxPackages} packages, seed ${this.settings.seed}`,
    );
    const rounds = this.settings.ratePerSecond > ROUND_RATE;
    this.timer = setInterval(
      () => (rounds ? this.round() : this.step()),
      rounds ? ROUND_MS : 1000 / this.settings.ratePerSecond,
    );
  }

  /** Before the database closes (onApplicationShutdown), so the last action finishes cleanly. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Packages a previous run left in flight would otherwise all turn stuck: carry them on. */
  private async adoptLeftovers(): Promise<void> {
    try {
      const active = await this.query.findActive();
      const now = Date.now();
      for (const p of active) if (isSimulatedTrackingNumber(p.carrier, p.trackingNumber)) this.simulation.adopt(p, now);
    } catch (err) {
      this.log.warn(`could not resume earlier simulated packages: ${String(err)}`);
    }
  }

  private step(): void {
    if (this.inFlight || !this.timer) return;
    const action = this.simulation.tick(Date.now());
    if (!action) return;
    this.inFlight = this.perform(action).finally(() => {
      this.inFlight = undefined;
    });
  }

  private round(): void {
    if (this.inFlight || !this.timer) return;
    const owed = (this.settings.ratePerSecond * ROUND_MS) / 1000 + this.carry;
    const count = Math.floor(owed);
    this.carry = owed - count;
    const now = Date.now();
    const actions: SimAction[] = [];
    for (let i = 0; i < count; i++) {
      const action = this.simulation.tick(now);
      if (!action) break;
      actions.push(action);
    }
    if (!actions.length) return;
    this.inFlight = this.performRound(actions).finally(() => {
      this.inFlight = undefined;
    });
  }

  /** A package is created before its first scan is sent; scans keep their order in the queue. */
  private async performRound(actions: SimAction[]): Promise<void> {
    await Promise.all(actions.filter((a) => a.kind === 'create').map((a) => this.perform(a)));
    await Promise.all(actions.filter((a) => a.kind === 'scan').map((a) => this.perform(a)));
  }

  private async perform(action: SimAction): Promise<void> {
    this.actions++;
    try {
      if (action.kind === 'create') await this.packages.create(action.input);
      else await this.packages.scan(action.trackingNumber, action.input);
    } catch (err) {
      if (action.kind === 'scan' && action.expect === 'rejected' && err instanceof ConflictException) return;
      // Say a tracking number from an earlier run, or a package someone changed by hand.
      this.simulation.failed(action);
      this.log.debug(`simulated ${action.kind} dropped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
