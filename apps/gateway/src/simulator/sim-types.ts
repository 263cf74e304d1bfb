import type { PackageStatus } from '@tracklight/protocol';
import type { Place } from '../packages/package-view.js';
import type { CreatePackageInput, ScanRequest } from '../packages/packages.service.js';
import type { LatLon } from '../geo/great-circle.js';

/** The trouble a simulated package runs into, each one aimed at one anomaly rule. */
export const INCIDENTS = [
  'backward_scan',
  'mis_keyed_location',
  'detour',
  'stall',
  'tight_eta',
  'customs_hold',
] as const;
export type Incident = (typeof INCIDENTS)[number];

export type SimAction =
  | { kind: 'create'; input: CreatePackageInput }
  | {
      kind: 'scan';
      trackingNumber: string;
      input: ScanRequest & { scannedAt: string };
      /** A backward scan is meant to be refused with 409 (the status_regression rule). */
      expect: 'accepted' | 'rejected';
    };

export interface SimPackage {
  trackingNumber: string;
  carrier: string;
  origin: Place;
  destination: Place;
  /** Where the parcel really is (a mis-keyed scan reports elsewhere without moving it). */
  position: LatLon;
  status: PackageStatus;
  totalKm: number;
  hubDone: boolean;
  incident?: Incident;
  incidentDone: boolean;
  detourStepsLeft: number;
  detourBearing: number;
  inTransitScans: number;
  lastScanAt: number;
  nextAt: number;
}

export interface SimulationOptions {
  seed: number;
  /** Live simulated packages at most; delivered and returned ones leave the set. */
  maxPackages: number;
  /** The impossible_travel limit: ordinary movement stays well below it. */
  maxSpeedKmh: number;
  /** Silence that makes a package stuck: ordinary gaps between scans stay well below it. */
  stuckAfterMs: number;
}
