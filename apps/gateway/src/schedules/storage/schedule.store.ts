import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { scheduleTopic, type EventPayloads, type ScheduleStatus } from '@tracklight/protocol';
import { EventLog } from '../../bus/outbox/event-log.js';
import { ScheduleEntity, type ScheduleErrorInfo } from './schedule.entity.js';

export const UNFINISHED: ScheduleStatus[] = ['queued', 'running'];

export interface FinishPatch {
  status: Extract<ScheduleStatus, 'completed' | 'failed' | 'cancelled'>;
  step: string;
  progress: number;
  result?: unknown;
  error?: ScheduleErrorInfo;
}

/** The `schedule:{id}` event a change carries, committed with it (or not at all). */
export type ScheduleEvent = {
  [K in 'schedule_progress' | 'schedule_completed' | 'schedule_failed']: { type: K; data: EventPayloads[K] };
}['schedule_progress' | 'schedule_completed' | 'schedule_failed'];

/**
 * Every status change is a conditional update (`WHERE status IN (...)`), so a cancel racing a
 * completion, or two gateway instances, can never both win: the caller learns whether it did. The
 * winner's event goes into the event log in the same transaction, so no event ever follows the
 * final one and none is lost to a crash or a bus outage.
 */
@Injectable()
export class ScheduleStore {
  constructor(
    @InjectRepository(ScheduleEntity) private readonly repo: Repository<ScheduleEntity>,
    private readonly log: EventLog,
  ) {}

  async insert(row: ScheduleEntity): Promise<void> {
    await this.repo.insert(row as QueryDeepPartialEntity<ScheduleEntity>);
  }

  async find(id: string): Promise<ScheduleEntity | undefined> {
    return (await this.repo.findOneBy({ id })) ?? undefined;
  }

  async ownerOf(id: string): Promise<string | undefined> {
    const row = await this.repo.findOne({ where: { id }, select: { id: true, ownerId: true } });
    return row?.ownerId;
  }

  markRunning(id: string, now = Date.now()): Promise<boolean> {
    return this.transition(id, ['queued'], {
      status: 'running',
      step: 'validating',
      startedAtMs: now,
      updatedAtMs: now,
    });
  }

  saveProgress(id: string, step: string, progress: number, message: string): Promise<boolean> {
    return this.transition(
      id,
      ['running'],
      { step, progress, updatedAtMs: Date.now() },
      { type: 'schedule_progress', data: { scheduleId: id, step, progress, message } },
    );
  }

  finish(
    id: string,
    from: ScheduleStatus[],
    patch: FinishPatch,
    event: ScheduleEvent,
    now = Date.now(),
  ): Promise<boolean> {
    const { result, error, ...rest } = patch;
    return this.transition(
      id,
      from,
      {
        ...rest,
        ...(result !== undefined ? { result } : {}),
        ...(error ? { error } : {}),
        updatedAtMs: now,
        finishedAtMs: now,
      },
      event,
    );
  }

  countUnfinishedOf(ownerId: string): Promise<number> {
    return this.repo.countBy({ ownerId, status: In(UNFINISHED) });
  }

  /** Schedules not yet finished, of one instance or of all. */
  unfinished(instanceId?: string): Promise<ScheduleEntity[]> {
    return this.repo.find({
      where: { status: In(UNFINISHED), ...(instanceId ? { instanceId } : {}) },
      order: { createdAtMs: 'ASC', id: 'ASC' },
    });
  }

  private async transition(
    id: string,
    from: ScheduleStatus[],
    set: Partial<ScheduleEntity>,
    event?: ScheduleEvent,
  ): Promise<boolean> {
    if (!event) return (await this.update(this.repo.manager, id, from, set)) > 0;
    return this.log.transaction(async (m, append) => {
      if (!(await this.update(m, id, from, set))) return false;
      await append(scheduleTopic(id), event.type, event.data);
      return true;
    });
  }

  private async update(
    m: Repository<ScheduleEntity>['manager'],
    id: string,
    from: ScheduleStatus[],
    set: Partial<ScheduleEntity>,
  ): Promise<number> {
    // update() runs the column transformers (JSON for result and error) like save() does.
    const res = await m.update(ScheduleEntity, { id, status: In(from) }, set as QueryDeepPartialEntity<ScheduleEntity>);
    return res.affected ?? 0;
  }
}
