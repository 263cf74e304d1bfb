import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { Subscription } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { PackageDomainEvents } from '../packages/package-domain-events.js';
import { AnomalyEngine } from './anomaly-engine.js';

/**
 * Feeds the engine: every accepted and rejected scan as it is committed, and a periodic sweep for
 * the rules that fire with the passing of time (late, silent). Sweeps never overlap.
 */
@Injectable()
export class AnomalyTriggers
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly log = new Logger(AnomalyTriggers.name);
  private readonly subscription = new Subscription();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly engine: AnomalyEngine,
    private readonly packageEvents: PackageDomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Subscribed before anything can scan (the simulator and HTTP start after every module init). */
  onModuleInit(): void {
    // The handlers only enqueue: they run inside the packages module's emit and must not block it.
    this.subscription.add(this.packageEvents.scanAccepted$.subscribe((e) => void this.engine.onScanAccepted(e)));
    this.subscription.add(this.packageEvents.scanRejected$.subscribe((e) => void this.engine.onScanRejected(e)));
  }

  onApplicationBootstrap(): void {
    // At once too: after downtime, late and silent parcels should not wait a whole interval.
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.anomalies.sweepMs);
    this.timer.unref();
  }

  /** Starts a sweep unless one is still running; resolves when the current sweep ends. */
  sweep(): Promise<void> {
    this.sweeping ??= this.engine
      .sweep()
      .catch((err: unknown) => this.log.error(`anomaly sweep failed: ${String(err)}`))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscription.unsubscribe();
  }

  /** Lets evaluations in flight finish before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.sweeping;
    await this.engine.idle();
  }
}
