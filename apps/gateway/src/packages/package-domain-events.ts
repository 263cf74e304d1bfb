import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { PackageStatus } from '@tracklight/protocol';
import type { PackageView, ScanView } from './package-view.js';

export interface PackageCreatedEvent {
  package: PackageView;
}

export interface ScanAcceptedEvent {
  /** The package after the scan was applied. */
  package: PackageView;
  scan: ScanView;
  previousStatus: PackageStatus;
  /** The scan before this one, if any (for speed and course rules). */
  previousScan?: ScanView;
  /**
   * The latest scans as the write read them, this one first; `complete` when that is the whole
   * history. Rules that look back no further need not read the scans again.
   */
  recentScans?: { scans: ScanView[]; complete: boolean };
}

export interface ScanRejectedEvent {
  package: PackageView;
  attempted: PackageStatus;
  allowed: PackageStatus[];
  at: string;
}

/**
 * In-process domain events of the packages module, emitted after the write is committed. Other
 * feature modules (anomalies, metrics) react to them; the wire events go through the EventBus.
 */
@Injectable()
export class PackageDomainEvents {
  readonly created$ = new Subject<PackageCreatedEvent>();
  readonly scanAccepted$ = new Subject<ScanAcceptedEvent>();
  readonly scanRejected$ = new Subject<ScanRejectedEvent>();
}
