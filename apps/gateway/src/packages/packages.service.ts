import { Injectable, Logger } from '@nestjs/common';
import type { PackageStatus } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { KeyedSerialiser } from '../concurrency/keyed-serialiser.js';
import { pageOf, readCursor, type Page } from '../paging/cursor.js';
import { badField, packageExists, packageNotFound, transitionRejected } from './package-errors.js';
import { PackageDomainEvents } from './package-domain-events.js';
import type { PackageView, Place, ScanView } from './package-view.js';
import { toMapUpdate, toPackageView, toScanView } from './storage/package-mapper.js';
import { GroupQueue, type Queued } from './group-queue.js';
import { PackageStore, type ScanOutcome, type ScanWrite } from './storage/package-store.js';

export interface CreatePackageInput {
  trackingNumber: string;
  carrier: string;
  origin: Place;
  destination: Place;
  /** ISO-8601. */
  estimatedDelivery: string;
}

export interface ScanRequest {
  status: PackageStatus;
  location: string;
  latitude: number;
  longitude: number;
  /** ISO-8601; the time of the call when absent. */
  scannedAt?: string;
  /** 1 to 64 characters; the same scanId again for the package replays the first answer. */
  scanId?: string;
}

export interface ScanResult {
  /** The state the scan produced (for a replay: the state the first one produced). */
  view: PackageView;
  /** True when the scanId was already applied: nothing was written or published (answer 200). */
  replayed: boolean;
}

export type PackagePage = Page<PackageView>;

function creationScan(view: PackageView): ScanView {
  const { status, location, latitude, longitude, lastScanTime: scannedAt } = view;
  return { status, location, latitude, longitude, scannedAt };
}

/** Scans from a device with a slightly fast clock are fine; further ahead is a client bug. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Scans of one group commit at most; a larger batch is written as several groups. */
const MAX_GROUP = 1000;
/** How many recent scans GET /packages/:trackingNumber (and its snapshot) carries. */
export const VIEW_SCANS = 10;

/**
 * The one write path for packages, used by the REST controller and the simulator alike.
 *
 * The `package_update` events are written to the event log in the change's own transaction
 * (PackageStore), and the relay puts them on the bus after the commit: nobody sees a state that
 * could still roll back, and a committed change always gets its events, even while the bus is
 * down or when this process dies right after answering. `map_update` is not a stored topic: it is
 * published after the commit, and a refused one is only logged (the next scan moves the pin).
 */
@Injectable()
export class PackagesService {
  private readonly log = new Logger(PackagesService.name);
  private readonly locks = new KeyedSerialiser();
  /** Scans waiting for the next group commit, from both scan routes and the simulator. */
  private readonly writes = new GroupQueue<ScanWrite, ScanResult>((group) => this.writeGroup(group), MAX_GROUP);

  constructor(
    private readonly store: PackageStore,
    private readonly bus: EventBus,
    private readonly events: PackageDomainEvents,
  ) {}

  /**
   * SQLite has one connection that TypeORM shares between concurrent transactions, so writes of
   * this module are serialised as a whole there; PostgreSQL gives each transaction its own
   * connection, so only writes to the same package queue (which also keeps its events in order).
   */
  private lockKey(trackingNumber: string): string {
    return this.store.isSqlite ? '*' : trackingNumber;
  }

  async create(input: CreatePackageInput): Promise<PackageView> {
    const estimatedDeliveryMs = Date.parse(input.estimatedDelivery);
    if (Number.isNaN(estimatedDeliveryMs)) throw badField('estimatedDelivery', 'estimatedDelivery must be a date');
    return this.locks.run(this.lockKey(input.trackingNumber), async () => {
      const row = await this.store.insert({ ...input, estimatedDeliveryMs }, Date.now());
      if (!row) throw packageExists(input.trackingNumber);
      const view = toPackageView(row);
      this.events.created$.next({ package: view });
      return { ...view, scans: [creationScan(view)] };
    });
  }

  async scan(trackingNumber: string, input: ScanRequest): Promise<PackageView> {
    return (await this.record(trackingNumber, input)).view;
  }

  /** `scan`, telling a first application (201) from a replayed scanId (200). */
  async record(trackingNumber: string, input: ScanRequest): Promise<ScanResult> {
    const nowMs = Date.now();
    const scannedAtMs = input.scannedAt === undefined ? nowMs : Date.parse(input.scannedAt);
    if (Number.isNaN(scannedAtMs)) throw badField('scannedAt', 'scannedAt must be a date');
    if (scannedAtMs > nowMs + MAX_FUTURE_SKEW_MS) {
      throw badField('scannedAt', 'scannedAt must not be more than 5 minutes in the future');
    }
    return this.writes.submit({ trackingNumber, input: { ...input, scannedAtMs }, nowMs });
  }

  /**
   * One group commit for every scan that queued up: they share one transaction, one sync and one
   * relay pass, and each caller is answered after that commit, in queue order. The keys of all
   * the group's packages are held from the write to the last domain event, so reactions see a
   * package's scans in order and after its creation.
   */
  private async writeGroup(group: Queued<ScanWrite, ScanResult>[]): Promise<void> {
    await this.locks.runAll(
      group.map((q) => this.lockKey(q.item.trackingNumber)),
      async () => {
        const outcomes = await this.store.applyScanGroup(
          group.map((q) => q.item),
          VIEW_SCANS - 1,
        );
        for (let i = 0; i < group.length; i++) {
          const { item, resolve, reject } = group[i];
          const result = outcomes[i];
          try {
            if (!result.ok) throw result.error;
            resolve(await this.settle(item, result.outcome));
          } catch (err) {
            reject(err);
          }
        }
      },
    );
  }

  /** After the commit: the answer and the domain events of one scan of a group. */
  private async settle({ trackingNumber, input }: ScanWrite, outcome: ScanOutcome): Promise<ScanResult> {
    switch (outcome.kind) {
      case 'not_found':
        throw packageNotFound(trackingNumber);
      case 'before_creation':
        throw badField(
          'scannedAt',
          `scannedAt must not be before the package was created (${toPackageView(outcome.package).createdAt})`,
        );
      case 'rejected': {
        this.events.scanRejected$.next({
          package: toPackageView(outcome.package),
          attempted: input.status,
          allowed: outcome.allowed,
          at: new Date(input.scannedAtMs).toISOString(),
        });
        throw transitionRejected(outcome.package.status, input.status, outcome.allowed);
      }
      case 'replayed': {
        const state = await this.store.stateAfterScan(outcome.package, outcome.scan, VIEW_SCANS);
        return { view: toPackageView(state.package, state.scans), replayed: true };
      }
      case 'accepted': {
        const view = toPackageView(outcome.package);
        // Read in the write's transaction: the state this scan produced, without a read after it.
        const scans = outcome.recent.map(toScanView);
        await this.publishPosition(view);
        this.events.scanAccepted$.next({
          package: view,
          scan: scans[0],
          previousStatus: outcome.previousStatus,
          previousScan: outcome.previousScan && toScanView(outcome.previousScan),
          recentScans: { scans, complete: outcome.recentComplete },
        });
        return { view: { ...view, scans }, replayed: false };
      }
    }
  }

  /** The current state with the most recent scans: GET /packages/:trackingNumber and its snapshot. */
  async get(trackingNumber: string): Promise<PackageView | undefined> {
    const row = await this.store.findByTrackingNumber(trackingNumber);
    if (!row) return undefined;
    return toPackageView(row, await this.store.recentScans(row.id, VIEW_SCANS));
  }

  async list(filter: { status?: PackageStatus; carrier?: string }, limit = 20, cursor?: string): Promise<PackagePage> {
    const rows = await this.store.page(filter, limit + 1, readCursor(cursor));
    return pageOf(
      rows,
      limit,
      (r) => ({ createdAtMs: r.createdAtMs, id: r.id }),
      (r) => toPackageView(r),
    );
  }

  private async publishPosition(view: PackageView): Promise<void> {
    try {
      await this.bus.publish('map_updates', 'map_update', toMapUpdate(view));
    } catch (err) {
      this.log.warn(`map_update of ${view.trackingNumber} not published: ${String(err)}`);
    }
  }
}
