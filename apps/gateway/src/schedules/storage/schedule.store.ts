import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import type { ScheduleStatus } from '@tracklight/protocol';
import { ScheduleEntity, type ScheduleErrorInfo } from './schedule.entity.js';

export const UNFINISHED: ScheduleStatus[] = ['queued', 'running'];

export interface FinishPatch {
  status: Extract<ScheduleStatus, 'completed' | 'failed' | 'cancelled'>;
  step: string;
  progress: number;
  result?: unknown;
  error?: ScheduleErrorInfo;
}

/**
 * Every status change is a conditional update (`WHERE status IN (...)`), so a cancel racing a
 * completion, or two gateway instances, can never both win: the caller learns whether it did.
 */
@Injectable()
export class ScheduleStore {
  constructor(@InjectRepository(ScheduleEntity) private readonly repo: Repository<ScheduleEntity>) {}

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

  saveProgress(id: string, step: string, progress: number): Promise<boolean> {
    return this.transition(id, ['running'], { step, progress, updatedAtMs: Date.now() });
  }

  finish(id: string, from: ScheduleStatus[], patch: FinishPatch, now = Date.now()): Promise<boolean> {
    const { result, error, ...rest } = patch;
    return this.transition(id, from, {
      ...rest,
      ...(result !== undefined ? { result } : {}),
      ...(error ? { error } : {}),
      updatedAtMs: now,
      finishedAtMs: now,
    });
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

  private async transition(id: string, from: ScheduleStatus[], set: Partial<ScheduleEntity>): Promise<boolean> {
    // update() runs the column transformers (JSON for result and error) like save() does.
    const res = await this.repo.update({ id, status: In(from) }, set as QueryDeepPartialEntity<ScheduleEntity>);
    return (res.affected ?? 0) > 0;
  }
}
