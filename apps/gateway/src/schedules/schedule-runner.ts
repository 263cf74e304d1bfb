import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { EventBus } from '../bus/event-bus.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { failedEvent } from './schedule-events.js';
import { SolverPool, type JobOutcome } from './solver/solver-pool.js';
import type { SolverInput, SolverResult } from './solver/types.js';
import type { ScheduleErrorInfo } from './storage/schedule.entity.js';
import { ScheduleStore } from './storage/schedule.store.js';

/** What this instance knows of a job it runs, possibly ahead of its queued database writes. */
export interface LiveState {
  step: string;
  progress: number;
}

interface Job extends LiveState {
  id: string;
  name: string;
  ownerId: string;
  /** Publishes and writes of this job, in order: the final event always comes last. */
  chain: Promise<void>;
}

const SAVING_PROGRESS = 95;

/**
 * Runs schedules on the worker pool and turns what the workers report into `schedule:{id}`
 * events, stored state and a notification to the owner at the end.
 *
 * Each event is written to the event log with the row change it describes (ScheduleStore), so it
 * reaches subscribers even when the bus is down for a while or this process dies right after.
 */
@Injectable()
export class ScheduleRunner implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(ScheduleRunner.name);
  private readonly pool: SolverPool;
  private readonly jobs = new Map<string, Job>();
  private cancels?: Subscription;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScheduleStore,
    private readonly bus: EventBus,
    private readonly notifications: NotificationsService,
  ) {
    this.pool = new SolverPool(config.schedules.workers, config.schedules.timeoutMs);
  }

  onModuleInit(): void {
    this.pool.warmUp().catch((err: unknown) => this.log.error(`solver worker unavailable: ${String(err)}`));
    // A cancel accepted by another gateway instance reaches the one running the job this way.
    this.cancels = this.bus.events$.subscribe((e) => {
      if (e.type !== 'schedule_failed') return;
      const { error, scheduleId } = e.data;
      if (error.code === 'CANCELLED' && this.jobs.has(scheduleId)) this.pool.cancel(scheduleId);
    });
  }

  /**
   * Schedules left unfinished by a previous run of this instance (a crash, kill -9) fail with
   * INTERRUPTED: the input is not kept, and re-running silently could surprise the owner. Without
   * Redis there is one instance, so every leftover is ours.
   */
  async onApplicationBootstrap(): Promise<void> {
    const leftovers = await this.store.unfinished(this.config.redisUrl ? this.config.instanceId : undefined);
    for (const row of leftovers) {
      const job = this.track(row.id, row.name, row.ownerId, row.step, row.progress);
      this.fail(job, ['queued', 'running'], {
        code: 'INTERRUPTED',
        message: 'The gateway restarted before the schedule finished; submit it again',
        details: {},
      });
      this.untrackWhenDone(job);
      await job.chain;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    this.cancels?.unsubscribe();
    await this.pool.close();
    await Promise.all([...this.jobs.values()].map((j) => j.chain));
  }

  live(id: string): LiveState | undefined {
    const job = this.jobs.get(id);
    return job && { step: job.step, progress: job.progress };
  }

  start(id: string, name: string, ownerId: string, input: SolverInput): void {
    const job = this.track(id, name, ownerId, 'queued', 0);
    void this.pool
      .run(id, input, {
        onStart: () => this.enqueue(job, () => this.store.markRunning(id).then(() => undefined)),
        onProgress: (step, progress, message) => this.progress(job, step, progress, message),
      })
      .then((outcome) => this.finish(job, outcome));
  }

  /** After the store recorded the cancel with its `schedule_failed`: stop the worker, tell the owner. */
  async cancelled(
    id: string,
    name: string,
    ownerId: string,
    step: string,
    progress: number,
    by: string,
  ): Promise<void> {
    const local = this.jobs.get(id);
    const job = local ?? this.track(id, name, ownerId, step, progress);
    this.pool.cancel(id);
    const error = { code: 'CANCELLED', message: `Cancelled by ${by}`, details: { cancelledBy: by } };
    this.enqueue(job, () => this.announceFailure(job, error));
    if (!local) this.untrackWhenDone(job);
    await job.chain;
  }

  private track(id: string, name: string, ownerId: string, step: string, progress: number): Job {
    const job: Job = { id, name, ownerId, step, progress, chain: Promise.resolve() };
    this.jobs.set(id, job);
    return job;
  }

  private enqueue(job: Job, work: () => Promise<void>): void {
    job.chain = job.chain.then(work).catch((err: unknown) => this.log.error(`schedule ${job.id}: ${String(err)}`));
  }

  private progress(job: Job, step: string, raw: number, message: string): void {
    const progress = Math.max(job.progress, Math.floor(raw));
    if (progress === job.progress && step === job.step) return;
    job.step = step;
    job.progress = progress;
    this.enqueue(job, async () => {
      // Stored before it is published: whoever reads the row (a cancel on another instance, a
      // snapshot) never sees less progress than clients were already sent.
      await this.store.saveProgress(job.id, step, progress, message);
    });
  }

  private finish(job: Job, outcome: JobOutcome): void {
    switch (outcome.kind) {
      case 'done':
        this.complete(job, outcome.result);
        break;
      case 'failed':
        this.fail(job, ['queued', 'running'], {
          code: outcome.code === 'SHUTDOWN' ? 'INTERRUPTED' : outcome.code,
          message: outcome.message,
          details: outcome.details,
        });
        break;
      case 'cancelled':
        // The cancel path already recorded and announced it.
        break;
    }
    this.untrackWhenDone(job);
  }

  private untrackWhenDone(job: Job): void {
    void job.chain.then(() => {
      if (!this.closing && this.jobs.get(job.id) === job) this.jobs.delete(job.id);
    });
  }

  private complete(job: Job, result: SolverResult): void {
    this.progress(job, 'saving', SAVING_PROGRESS, 'Saving the plan');
    this.enqueue(job, async () => {
      const won = await this.store.finish(
        job.id,
        ['running'],
        { status: 'completed', step: 'completed', progress: 100, result },
        {
          type: 'schedule_completed',
          data: {
            scheduleId: job.id,
            step: 'completed',
            progress: 100,
            message: `Planned ${result.routes.length} routes`,
            result,
          },
        },
      );
      if (!won) return;
      job.step = 'completed';
      job.progress = 100;
      const k = result.kpis;
      await this.tell(job, 'info', `Schedule "${job.name}" is ready`, [
        `${result.routes.length} routes, ${k.totalDistanceKm} km in total,`,
        `makespan ${k.makespanMinutes} min, ${Math.round(k.onTimeRate * 100)}% of stops on time.`,
      ]);
    });
  }

  private fail(job: Job, from: ('queued' | 'running')[], error: ScheduleErrorInfo): void {
    this.enqueue(job, async () => {
      const status = 'failed';
      const { step, progress } = job;
      const won = await this.store.finish(
        job.id,
        from,
        { status, step, progress, error },
        failedEvent(job.id, step, progress, error),
      );
      if (won) await this.announceFailure(job, error);
    });
  }

  private async announceFailure(job: Job, error: ScheduleErrorInfo): Promise<void> {
    const verb = error.code === 'CANCELLED' ? 'was cancelled' : `failed (${error.code})`;
    await this.tell(job, 'warning', `Schedule "${job.name}" ${verb}`, [error.message]);
  }

  private async tell(job: Job, level: 'info' | 'warning', title: string, lines: string[]): Promise<void> {
    try {
      await this.notifications.notify({ level, title, message: lines.join(' '), userId: job.ownerId });
    } catch (err) {
      this.log.error(`schedule ${job.id}: owner not notified: ${String(err)}`);
    }
  }
}
