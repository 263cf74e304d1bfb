import { Inject, Injectable, Logger } from '@nestjs/common';
import { PackageQuery } from '../packages/package-query.js';
import type { PackageView, ScanView } from '../packages/package-view.js';
import type { ScanAcceptedEvent, ScanRejectedEvent } from '../packages/package-domain-events.js';
import { AnomalyPublisher } from './anomaly-publisher.js';
import { KeyedSerialiser } from '../concurrency/keyed-serialiser.js';
import { SEVERITY_RANK, type AnomalyRule, type RuleInput, type Verdict } from './rules/anomaly-rule.js';
import { toAnomaly } from './storage/anomaly-mapper.js';
import type { AnomalyEntity } from './storage/anomaly.entity.js';
import { AnomalyStore } from './storage/anomaly-store.js';

export const ANOMALY_RULES = Symbol('ANOMALY_RULES');

/**
 * Runs every rule for one package and turns verdicts into stored, published anomalies: at most one
 * open per package and type, raised when it gets worse, resolved when its condition clears.
 * Evaluations of one package are serialised; different packages run concurrently.
 */
@Injectable()
export class AnomalyEngine {
  private readonly log = new Logger(AnomalyEngine.name);
  private readonly queue = new KeyedSerialiser();
  /** When each package was last evaluated from a scan, so a sweep does not act on an older read. */
  private readonly touched = new Map<string, number>();
  private readonly historyDepth: number;

  constructor(
    @Inject(ANOMALY_RULES) private readonly rules: AnomalyRule[],
    private readonly store: AnomalyStore,
    private readonly publisher: AnomalyPublisher,
    private readonly packages: PackageQuery,
  ) {
    this.historyDepth = Math.max(0, ...rules.map((r) => r.scanHistory));
  }

  onScanAccepted(event: ScanAcceptedEvent, now = new Date()): Promise<void> {
    const { package: pkg, scan, previousScan, recentScans: carried } = event;
    return this.enqueue(pkg.packageId, async () => {
      this.touched.set(pkg.packageId, now.getTime());
      const recentScans = await this.recentScans(pkg.packageId, carried);
      await this.apply(
        { trigger: 'scan', now, package: pkg, scan, previousScan, recentScans },
        await this.store.openFor(pkg.packageId),
      );
    });
  }

  /** The scans the rules look back on: those the write already read when they reach far enough. */
  private async recentScans(packageId: string, carried: ScanAcceptedEvent['recentScans']): Promise<ScanView[]> {
    if (!this.historyDepth) return [];
    if (carried && (carried.complete || carried.scans.length >= this.historyDepth)) {
      return carried.scans.slice(0, this.historyDepth);
    }
    return this.packages.recentScans(packageId, this.historyDepth);
  }

  onScanRejected(event: ScanRejectedEvent, now = new Date()): Promise<void> {
    const { package: pkg, attempted, allowed, at } = event;
    return this.enqueue(pkg.packageId, async () => {
      this.touched.set(pkg.packageId, now.getTime());
      await this.apply(
        { trigger: 'rejected', now, package: pkg, rejected: { attempted, allowed, at } },
        await this.store.openFor(pkg.packageId),
      );
    });
  }

  /** Time-driven rules over every active package: one read of packages, one of open anomalies. */
  async sweep(now = new Date()): Promise<void> {
    const startedAt = Date.now();
    const [active, open] = await Promise.all([this.packages.findActive(), this.store.allOpen()]);
    const openByPackage = new Map<string, AnomalyEntity[]>();
    for (const row of open) openByPackage.set(row.packageId, [...(openByPackage.get(row.packageId) ?? []), row]);
    for (const pkg of active) {
      await this.enqueue(pkg.packageId, async () => {
        // A scan evaluated since our read saw a newer package and newer anomalies than we hold.
        if ((this.touched.get(pkg.packageId) ?? 0) >= startedAt) return;
        await this.apply({ trigger: 'sweep', now, package: pkg }, openByPackage.get(pkg.packageId) ?? []);
      });
    }
    for (const [id, at] of this.touched) if (at < startedAt) this.touched.delete(id);
  }

  /** Resolves once every evaluation submitted so far has finished. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private enqueue(packageId: string, task: () => Promise<void>): Promise<void> {
    return this.queue.run(packageId, task).catch((err: unknown) => {
      this.log.error(`anomaly evaluation of package ${packageId} failed: ${String(err)}`);
    });
  }

  private async apply(input: RuleInput, open: AnomalyEntity[]): Promise<void> {
    const pkg: PackageView = input.package;
    const nowMs = input.now.getTime();
    for (const rule of this.rules) {
      let verdict: Verdict;
      try {
        verdict = rule.evaluate(input);
      } catch (err) {
        // One faulty rule must not keep the others from running.
        this.log.error(`rule ${rule.type} failed on package ${pkg.packageId}: ${String(err)}`);
        continue;
      }
      const existing = open.find((a) => a.type === rule.type);
      switch (verdict.kind) {
        case 'keep':
          break;
        case 'clear': {
          if (!existing) break;
          // Its anomaly_resolved event commits with it (AnomalyStore).
          await this.store.resolve(existing, nowMs);
          break;
        }
        case 'fire': {
          const { finding } = verdict;
          if (!existing) {
            const target = { packageId: pkg.packageId, trackingNumber: pkg.trackingNumber, type: rule.type };
            const created = await this.store.open(target, finding, nowMs);
            if (created) await this.publisher.opened(toAnomaly(created));
          } else if (SEVERITY_RANK[finding.severity] > SEVERITY_RANK[existing.severity]) {
            const raised = await this.store.escalate(existing, finding, nowMs);
            if (raised) await this.publisher.escalated(toAnomaly(raised), existing.severity);
          }
          break;
        }
      }
    }
  }
}
