import {
  ConflictException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { scheduleTopic } from '@tracklight/protocol';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CreateScheduleInput } from './dto/create-schedule.dto.js';
import { failedEvent } from './schedule-events.js';
import { ScheduleRunner } from './schedule-runner.js';
import { toScheduleView, type ScheduleView } from './schedule-view.js';
import { ScheduleEntity } from './storage/schedule.entity.js';
import { ScheduleStore, UNFINISHED } from './storage/schedule.store.js';

/** Queued or running schedules one user may have at once: the pool is shared by everyone. */
export const MAX_UNFINISHED_PER_OWNER = 20;

export interface ScheduleAccepted {
  scheduleId: string;
  topic: string;
  status: 'queued';
}

/**
 * Owner or admin; anyone else gets 403 (docs/PROTOCOL.md section 5: wrong role), as the topic answers
 * FORBIDDEN rather than UNKNOWN_TOPIC: ids are random UUIDs, so knowing one is the only leak.
 */
function canRead(principal: Principal, row: ScheduleEntity): boolean {
  return row.ownerId === principal.userId || principal.roles.includes('admin');
}

@Injectable()
export class SchedulesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ScheduleStore,
    private readonly runner: ScheduleRunner,
  ) {}

  async create(owner: Principal, dto: CreateScheduleInput): Promise<ScheduleAccepted> {
    if ((await this.store.countUnfinishedOf(owner.userId)) >= MAX_UNFINISHED_PER_OWNER) {
      throw new HttpException(
        {
          statusCode: 429,
          error: 'Too Many Requests',
          message: `At most ${MAX_UNFINISHED_PER_OWNER} schedules may be queued or running per user; wait for one to finish or cancel one`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const now = Date.now();
    const strategy = dto.strategy ?? 'compare';
    const row = Object.assign(new ScheduleEntity(), {
      id: randomUUID(),
      ownerId: owner.userId,
      name: dto.name,
      strategy,
      status: 'queued',
      step: 'queued',
      progress: 0,
      vehicles: dto.vehicles,
      stopCount: dto.stops.length,
      result: null,
      error: null,
      instanceId: this.config.instanceId,
      createdAtMs: now,
      updatedAtMs: now,
      startedAtMs: null,
      finishedAtMs: null,
    } satisfies ScheduleEntity);
    await this.store.insert(row);
    this.runner.start(row.id, row.name, row.ownerId, {
      depot: { latitude: dto.depot.latitude, longitude: dto.depot.longitude },
      vehicles: dto.vehicles,
      stops: dto.stops,
      strategy,
      speedKmh: this.config.schedules.speedKmh,
    });
    return { scheduleId: row.id, topic: scheduleTopic(row.id), status: 'queued' };
  }

  /** The view of GET /schedules/:id and of the topic snapshot; undefined when it does not exist. */
  async view(id: string): Promise<ScheduleView | undefined> {
    const row = await this.store.find(id);
    if (!row) return undefined;
    const view = toScheduleView(row);
    // This instance may know progress whose database write is still queued.
    const live = this.runner.live(id);
    if (live && UNFINISHED.includes(view.status) && live.progress >= view.progress) {
      view.step = live.step;
      view.progress = live.progress;
    }
    return view;
  }

  async get(principal: Principal, id: string): Promise<ScheduleView> {
    const row = await this.store.find(id);
    if (!row) throw notFound(id);
    if (!canRead(principal, row)) throw forbidden(id);
    return (await this.view(id))!;
  }

  async cancel(principal: Principal, id: string): Promise<ScheduleView> {
    const row = await this.store.find(id);
    if (!row) throw notFound(id);
    if (!canRead(principal, row)) throw forbidden(id);
    const live = this.runner.live(id);
    const step = live?.step ?? row.step;
    const progress = Math.max(live?.progress ?? 0, row.progress);
    const by = row.ownerId === principal.userId ? 'its owner' : `admin ${principal.userId}`;
    const error = { code: 'CANCELLED', message: `Cancelled by ${by}`, details: { cancelledBy: by } };
    const won = await this.store.finish(
      id,
      UNFINISHED,
      { status: 'cancelled', step, progress, error },
      failedEvent(id, step, progress, error),
    );
    if (!won) {
      const now = await this.store.find(id);
      throw new ConflictException({
        statusCode: 409,
        error: 'Conflict',
        message: `Schedule ${id} already finished (${now?.status ?? row.status}); only queued or running schedules can be cancelled`,
        status: now?.status ?? row.status,
      });
    }
    await this.runner.cancelled(id, row.name, row.ownerId, step, progress, by);
    return (await this.view(id))!;
  }
}

function forbidden(id: string): ForbiddenException {
  return new ForbiddenException({
    statusCode: 403,
    error: 'Forbidden',
    message: `Schedule ${id} belongs to another user; only its owner and admins may read or cancel it`,
  });
}

function notFound(id: string): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message: `No schedule ${id}` });
}
