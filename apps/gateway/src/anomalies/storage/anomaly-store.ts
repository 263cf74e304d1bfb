import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, QueryFailedError, type FindOptionsWhere, type Repository } from 'typeorm';
import type { Severity } from '@tracklight/protocol';
import { EventLog } from '../../bus/outbox/event-log.js';
import type { AnomalyType } from '../anomaly-types.js';
import type { Finding } from '../rules/anomaly-rule.js';
import { AnomalyEntity } from './anomaly.entity.js';
import { toAnomaly } from './anomaly-mapper.js';

export interface AnomalyFilter {
  open?: boolean;
  type?: AnomalyType;
  severity?: Severity;
  trackingNumber?: string;
}

export interface AnomalyCounts {
  total: number;
  open: number;
}

/** PostgreSQL unique_violation, SQLite SQLITE_CONSTRAINT_UNIQUE. */
function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string } | undefined;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Every change is one statement plus its `anomalies` event, in one event-log transaction (the log
 * runs those one at a time on SQLite, where TypeORM shares one connection between them).
 */
@Injectable()
export class AnomalyStore {
  constructor(
    @InjectRepository(AnomalyEntity) private readonly repo: Repository<AnomalyEntity>,
    private readonly log: EventLog,
  ) {}

  openFor(packageId: string): Promise<AnomalyEntity[]> {
    return this.repo.find({ where: { packageId, resolvedAtMs: IsNull() } });
  }

  allOpen(): Promise<AnomalyEntity[]> {
    return this.repo.find({ where: { resolvedAtMs: IsNull() } });
  }

  /**
   * Opens an anomaly, or returns undefined when one of that type is already open for the package
   * (another instance or sweep got there first): the unique index decides, not a prior read.
   */
  async open(
    target: { packageId: string; trackingNumber: string; type: AnomalyType },
    finding: Finding,
    nowMs: number,
  ): Promise<AnomalyEntity | undefined> {
    const row = this.repo.create({
      id: randomUUID(),
      ...target,
      ...finding,
      detectedAtMs: nowMs,
      updatedAtMs: nowMs,
      resolvedAtMs: null,
    });
    try {
      await this.log.transaction(async (m, append) => {
        await m.insert(AnomalyEntity, row);
        await append('anomalies', 'anomaly_detected', toAnomaly(row));
      });
      return row;
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
  }

  /** Raises an open anomaly to a new finding; undefined when it was resolved meanwhile. */
  async escalate(row: AnomalyEntity, finding: Finding, nowMs: number): Promise<AnomalyEntity | undefined> {
    return this.log.transaction(async (m, append) => {
      const result = await m.update(
        AnomalyEntity,
        { id: row.id, resolvedAtMs: IsNull() },
        { ...finding, updatedAtMs: nowMs },
      );
      if (!result.affected) return undefined;
      const raised = { ...row, ...finding, updatedAtMs: nowMs };
      // Published again with the same anomalyId: clients upsert by id.
      await append('anomalies', 'anomaly_detected', toAnomaly(raised));
      return raised;
    });
  }

  /** Resolves an open anomaly; undefined when someone else resolved it first. */
  async resolve(row: AnomalyEntity, nowMs: number): Promise<AnomalyEntity | undefined> {
    return this.log.transaction(async (m, append) => {
      const result = await m.update(
        AnomalyEntity,
        { id: row.id, resolvedAtMs: IsNull() },
        { resolvedAtMs: nowMs, updatedAtMs: nowMs },
      );
      if (!result.affected) return undefined;
      const resolved = { ...row, resolvedAtMs: nowMs, updatedAtMs: nowMs };
      await append('anomalies', 'anomaly_resolved', toAnomaly(resolved));
      return resolved;
    });
  }

  /** Newest first. */
  async list(filter: AnomalyFilter, limit: number, offset: number): Promise<{ items: AnomalyEntity[]; total: number }> {
    const where: FindOptionsWhere<AnomalyEntity> = {};
    if (filter.open !== undefined) where.resolvedAtMs = filter.open ? IsNull() : Not(IsNull());
    if (filter.type) where.type = filter.type;
    if (filter.severity) where.severity = filter.severity;
    if (filter.trackingNumber) where.trackingNumber = filter.trackingNumber;
    const [items, total] = await this.repo.findAndCount({
      where,
      order: { detectedAtMs: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total };
  }

  async counts(): Promise<AnomalyCounts> {
    const [total, open] = await Promise.all([
      this.repo.count(),
      this.repo.count({ where: { resolvedAtMs: IsNull() } }),
    ]);
    return { total, open };
  }
}
