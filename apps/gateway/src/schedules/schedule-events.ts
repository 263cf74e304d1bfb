import type { ScheduleErrorInfo } from './storage/schedule.entity.js';
import type { ScheduleEvent } from './storage/schedule.store.js';

/** `schedule_failed` as the change that ends a schedule with `error` commits it. */
export function failedEvent(
  scheduleId: string,
  step: string,
  progress: number,
  error: ScheduleErrorInfo,
): ScheduleEvent {
  return {
    type: 'schedule_failed',
    data: { scheduleId, step, progress, message: error.message, error: { code: error.code, details: error.details } },
  };
}
