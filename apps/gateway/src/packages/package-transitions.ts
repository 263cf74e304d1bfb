import { PACKAGE_STATUSES, type PackageStatus } from '@tracklight/protocol';

/**
 * The status rules of a package, as one pure function so they are tested exhaustively.
 *
 * The journey is `created → picked_up → in_transit ⇄ at_facility → out_for_delivery → delivered`.
 * A *forward move* goes to any state further along that line (skipping is allowed: a missed scan
 * is normal); in_transit and at_facility are one stage, so each is a forward move from the other.
 * The states *later* than S are those reachable from S by one or more forward moves, hence
 * in_transit is later than itself (through at_facility) while picked_up is not later than itself.
 *
 * - From a journey state S: another scan at S (a position update), any later state, or exception.
 * - From exception: another exception, any state later than the state held before the exception
 *   (a package stopped in transit resumes in transit, at a facility, out for delivery or delivered;
 *   one stopped while out for delivery can only be delivered), or returned.
 * - From delivered: only returned. Returned is final.
 */

const JOURNEY: readonly PackageStatus[] = [
  'created',
  'picked_up',
  'in_transit',
  'at_facility',
  'out_for_delivery',
  'delivered',
];

/** Position of each journey state; in_transit and at_facility share one stage. */
const STAGE: Partial<Record<PackageStatus, number>> = {
  created: 0,
  picked_up: 1,
  in_transit: 2,
  at_facility: 2,
  out_for_delivery: 3,
  delivered: 4,
};

const CYCLE: ReadonlySet<PackageStatus> = new Set(['in_transit', 'at_facility']);

export const FINAL_STATUSES: readonly PackageStatus[] = ['delivered', 'returned'];

export function isFinal(status: PackageStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** States reachable from `from` by one or more forward moves, in journey order. */
export function laterStates(from: PackageStatus): PackageStatus[] {
  const stage = STAGE[from];
  if (stage === undefined || from === 'delivered') return [];
  return JOURNEY.filter((s) => {
    const other = STAGE[s] as number;
    return other > stage || (other === stage && CYCLE.has(from) && CYCLE.has(s));
  });
}

/**
 * Every status a scan may set next. `beforeException` is the journey state the package held when
 * it entered exception (only read while `current` is exception; created when unknown).
 */
export function allowedNextStatuses(current: PackageStatus, beforeException?: PackageStatus): PackageStatus[] {
  let allowed: PackageStatus[];
  switch (current) {
    case 'returned':
      allowed = [];
      break;
    case 'delivered':
      allowed = ['returned'];
      break;
    case 'exception':
      allowed = [...laterStates(beforeException ?? 'created'), 'exception', 'returned'];
      break;
    case 'created':
    case 'picked_up':
    case 'in_transit':
    case 'at_facility':
    case 'out_for_delivery':
      allowed = [current, ...laterStates(current), 'exception'];
      break;
  }
  // One canonical order, whatever the rule that produced the set.
  const set = new Set(allowed);
  return PACKAGE_STATUSES.filter((s) => set.has(s));
}

export type TransitionResult =
  | {
      ok: true;
      /** What to remember as the pre-exception state after this scan (undefined outside exception). */
      beforeException: PackageStatus | undefined;
    }
  | { ok: false; allowed: PackageStatus[] };

/** Whether a scan may move a package from `current` to `next`, and the state to keep for later. */
export function checkTransition(
  current: PackageStatus,
  next: PackageStatus,
  beforeException?: PackageStatus,
): TransitionResult {
  const allowed = allowedNextStatuses(current, beforeException);
  if (!allowed.includes(next)) return { ok: false, allowed };
  if (next !== 'exception') return { ok: true, beforeException: undefined };
  // A second exception scan keeps the state held before the first one.
  return { ok: true, beforeException: current === 'exception' ? (beforeException ?? 'created') : current };
}
