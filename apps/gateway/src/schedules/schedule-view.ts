import { scheduleTopic, type ScheduleResult, type ScheduleSnapshot, type ScheduleStatus } from '@tracklight/protocol';
import type { SolverResult } from './solver/types.js';
import type { ScheduleEntity } from './storage/schedule.entity.js';

/** GET /schedules/:scheduleId and the `schedule:{scheduleId}` snapshot: one shape for both. */
export interface ScheduleView extends ScheduleSnapshot {
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
  result?: ScheduleResult;
  /** Once failed or cancelled. */
  error?: { code: string; message: string; details: unknown };
}

/** The solver's result is published as the wire's ScheduleResult: a drift between the two fails here. */
export const SOLVER_RESULT_IS_WIRE_RESULT: SolverResult extends ScheduleResult ? true : never = true;

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
  // The column holds what the solver returned (SolverResult, structurally a ScheduleResult).
  if (row.result !== null && row.result !== undefined) view.result = row.result as ScheduleResult;
  if (row.error) view.error = row.error;
  return view;
}
