import { scheduleTopic, type ScheduleStatus } from '@tracklight/protocol';
import type { ScheduleEntity } from './storage/schedule.entity.js';

/** GET /schedules/:scheduleId and the `schedule:{scheduleId}` snapshot: one shape for both. */
export interface ScheduleView {
  scheduleId: string;
  topic: string;
  name: string;
  ownerId: string;
  status: ScheduleStatus;
  step: string;
  progress: number;
  strategy: string;
  vehicles: number;
  stopCount: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Once completed. */
  result?: unknown;
  /** Once failed or cancelled. */
  error?: { code: string; message: string; details: unknown };
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toScheduleView(row: ScheduleEntity): ScheduleView {
  const view: ScheduleView = {
    scheduleId: row.id,
    topic: scheduleTopic(row.id),
    name: row.name,
    ownerId: row.ownerId,
    status: row.status,
    step: row.step,
    progress: row.progress,
    strategy: row.strategy,
    vehicles: row.vehicles,
    stopCount: row.stopCount,
    createdAt: iso(row.createdAtMs),
    updatedAt: iso(row.updatedAtMs),
  };
  if (row.startedAtMs !== null) view.startedAt = iso(row.startedAtMs);
  if (row.finishedAtMs !== null) view.finishedAt = iso(row.finishedAtMs);
  if (row.result !== null && row.result !== undefined) view.result = row.result;
  if (row.error) view.error = row.error;
  return view;
}
