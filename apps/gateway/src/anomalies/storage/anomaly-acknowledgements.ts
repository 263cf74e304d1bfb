import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { EventLog } from '../../bus/outbox/event-log.js';
import { toAnomaly } from './anomaly-mapper.js';
import { AnomalyEntity } from './anomaly.entity.js';

export type AcknowledgeResult = { row: AnomalyEntity; changed: boolean } | undefined;

/**
 * Acknowledgement writes: a conditional update, so two operators acting at once make one change,
 * and its `anomaly_acknowledged` event in the same event-log transaction (committed together).
 */
@Injectable()
export class AnomalyAcknowledgements {
  constructor(private readonly log: EventLog) {}

  /** Undefined for an unknown id; `changed: false` when it was already acknowledged (by anyone). */
  acknowledge(id: string, by: string, nowMs: number): Promise<AcknowledgeResult> {
    return this.log.transaction(async (m, append) => {
      const result = await m.update(
        AnomalyEntity,
        { id, acknowledgedAtMs: IsNull() },
        { acknowledgedBy: by, acknowledgedAtMs: nowMs, updatedAtMs: nowMs },
      );
      const row = await m.findOne(AnomalyEntity, { where: { id } });
      if (!row) return undefined;
      const changed = (result.affected ?? 0) > 0;
      if (changed) {
        const acknowledged = { ...toAnomaly(row), acknowledgedBy: by, acknowledgedAt: new Date(nowMs).toISOString() };
        await append('anomalies', 'anomaly_acknowledged', acknowledged);
      }
      return { row, changed };
    });
  }
}
