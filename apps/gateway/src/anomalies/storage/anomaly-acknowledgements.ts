import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { AnomalyEntity } from './anomaly.entity.js';

export type AcknowledgeResult = { row: AnomalyEntity; changed: boolean } | undefined;

/** Acknowledgement writes: a conditional update, so two operators acting at once make one change. */
@Injectable()
export class AnomalyAcknowledgements {
  constructor(@InjectRepository(AnomalyEntity) private readonly repo: Repository<AnomalyEntity>) {}

  /** Undefined for an unknown id; `changed: false` when it was already acknowledged (by anyone). */
  async acknowledge(id: string, by: string, nowMs: number): Promise<AcknowledgeResult> {
    const result = await this.repo.update(
      { id, acknowledgedAtMs: IsNull() },
      { acknowledgedBy: by, acknowledgedAtMs: nowMs, updatedAtMs: nowMs },
    );
    const row = await this.repo.findOne({ where: { id } });
    return row ? { row, changed: (result.affected ?? 0) > 0 } : undefined;
  }
}
