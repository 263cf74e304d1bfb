import type { PackageStatus, Severity } from '@tracklight/protocol';
import type { PackageView, ScanView } from '../../packages/package-view.js';
import type { AnomalyType } from '../anomaly-types.js';

/** What made the engine look at a package. */
export type RuleTrigger = 'scan' | 'rejected' | 'sweep';

export interface RuleInput {
  trigger: RuleTrigger;
  now: Date;
  /** The package as committed (after the scan, for `scan`). */
  package: PackageView;
  /** `scan` only: the accepted scan and the one before it. */
  scan?: ScanView;
  previousScan?: ScanView;
  /** `scan` only, most recent first, including `scan`; present when a rule asked for history. */
  recentScans?: ScanView[];
  /** `rejected` only. */
  rejected?: { attempted: PackageStatus; allowed: PackageStatus[]; at: string };
}

export interface Finding {
  severity: Severity;
  /** 0..1: how sure the rule is that something is really wrong. */
  confidenceScore: number;
  description: string;
  recommendedAction: string;
}

/**
 * `fire`: the condition holds (opens an anomaly, or raises the severity of the open one).
 * `clear`: the condition is gone (resolves the open one). `keep`: this trigger says nothing new.
 */
export type Verdict = { kind: 'fire'; finding: Finding } | { kind: 'clear' } | { kind: 'keep' };

export const KEEP: Verdict = { kind: 'keep' };
export const CLEAR: Verdict = { kind: 'clear' };
export const fire = (finding: Finding): Verdict => ({ kind: 'fire', finding });

export interface AnomalyRule {
  readonly type: AnomalyType;
  /** How many recent scans the rule needs on a `scan` trigger; 0 when none. */
  readonly scanHistory: number;
  evaluate(input: RuleInput): Verdict;
}

const FINAL: readonly PackageStatus[] = ['delivered', 'returned'];

export function isFinal(status: PackageStatus): boolean {
  return FINAL.includes(status);
}

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Picks the severity whose lower bound `value` reaches; `bounds` are the starts of medium, high, critical. */
export function severityFor(value: number, [medium, high, critical]: [number, number, number]): Severity {
  if (value >= critical) return 'critical';
  if (value >= high) return 'high';
  if (value >= medium) return 'medium';
  return 'low';
}

export function clamp01(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

/** A duration for people: minutes under an hour, then hours. */
export function hours(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  return h >= 10 ? `${Math.round(h)} h` : `${h.toFixed(1)} h`;
}
