import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, LessThanOrEqual, MoreThan, QueryFailedError, type EntityManager } from 'typeorm';
import type { PackageStatus } from '@tracklight/protocol';
import { EventLog, type AppendEvent } from '../../bus/outbox/event-log.js';
import { appendPackageUpdate } from '../package-events.js';
import { checkTransition } from '../package-transitions.js';
import type { Place } from '../package-view.js';
import { PackageEntity } from './package.entity.js';
import { PackageScanEntity } from './package-scan.entity.js';
import { findPackage, insertScan, recentScans, updatePackage } from './scan-write-sql.js';

export interface NewPackage {
  trackingNumber: string;
  carrier: string;
  origin: Place;
  destination: Place;
  estimatedDeliveryMs: number;
}

export interface ScanInput {
  status: PackageStatus;
  location: string;
  latitude: number;
  longitude: number;
  scannedAtMs: number;
  /** The sender's idempotency key: a second scan with it replays the first. */
  scanId?: string;
}

export type ScanOutcome =
  | { kind: 'not_found' }
  | { kind: 'before_creation'; package: PackageEntity }
  | { kind: 'rejected'; package: PackageEntity; allowed: PackageStatus[] }
  /** The package already has a scan with this scanId: nothing was written. */
  | { kind: 'replayed'; package: PackageEntity; scan: PackageScanEntity }
  | {
      kind: 'accepted';
      package: PackageEntity;
      scan: PackageScanEntity;
      previousStatus: PackageStatus;
      previousScan: PackageScanEntity | undefined;
      /** This scan and up to `recentLimit` before it, most recent first. */
      recent: PackageScanEntity[];
      /** True when `recent` is the package's whole history. */
      recentComplete: boolean;
    };

/** One scan of a group commit (`applyScanGroup`). */
export interface ScanWrite {
  trackingNumber: string;
  input: ScanInput;
  /** When the request arrived: the scan's recordedAt. */
  nowMs: number;
}

/** Per item of a group: its outcome, or the error the single write would have thrown. */
export type GroupItemOutcome = { ok: true; outcome: ScanOutcome } | { ok: false; error: unknown };

export interface PageKey {
  createdAtMs: number;
  id: string;
}

/** Another writer changed the package between our read and our update: read again and retry. */
class StaleVersion extends Error {}

const MAX_ATTEMPTS = 5;
/** Scans of a group applied between two turns of the event loop. */
const YIELD_EVERY = 50;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const code = (err.driverError as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A JSON null passes the optional DTO field; it must not reach a query, where it would match any scan. */
function hasScanId(input: ScanInput): input is ScanInput & { scanId: string } {
  return typeof input.scanId === 'string';
}

/** Every SQL statement of the packages module; the same code on SQLite and PostgreSQL. */
@Injectable()
export class PackageStore {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly log: EventLog,
  ) {}

  get isSqlite(): boolean {
    return this.db.options.type === 'better-sqlite3';
  }

  /** The new row, or undefined when the tracking number is taken. The creation is the first scan. */
  async insert(input: NewPackage, nowMs: number): Promise<PackageEntity | undefined> {
    const row = this.db.getRepository(PackageEntity).create({
      id: randomUUID(),
      trackingNumber: input.trackingNumber,
      carrier: input.carrier,
      status: 'created',
      statusBeforeException: null,
      originName: input.origin.name,
      originLatitude: input.origin.latitude,
      originLongitude: input.origin.longitude,
      destinationName: input.destination.name,
      destinationLatitude: input.destination.latitude,
      destinationLongitude: input.destination.longitude,
      location: input.origin.name,
      latitude: input.origin.latitude,
      longitude: input.origin.longitude,
      estimatedDeliveryMs: input.estimatedDeliveryMs,
      lastScanMs: nowMs,
      createdAtMs: nowMs,
      deliveredAtMs: null,
      version: 1,
    });
    try {
      // The package_update events commit with the package (the event log's transaction).
      await this.log.transaction(async (m, append) => {
        await m.insert(PackageEntity, row);
        await m.insert(PackageScanEntity, {
          packageId: row.id,
          status: 'created',
          location: row.location,
          latitude: row.latitude,
          longitude: row.longitude,
          scannedAtMs: nowMs,
          recordedAtMs: nowMs,
        });
        await appendPackageUpdate(append, row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) return undefined;
      throw err;
    }
    return row;
  }

  /**
   * Group commit: applies `writes` in array order in ONE event-log transaction (one commit, one
   * sync, one relay pass). Each scan runs inside its own savepoint, so a failing one (a duplicate
   * scanId, a lost version race, the event backlog bound) is rolled back alone and retried or
   * answered as the single write would, while the others commit. When the transaction itself
   * fails (the commit), it rejects: nothing of the group was written.
   */
  applyScanGroup(writes: readonly ScanWrite[], recentLimit = 1): Promise<GroupItemOutcome[]> {
    return this.log.transaction(async (m, append) => {
      const outcomes: GroupItemOutcome[] = [];
      for (let i = 0; i < writes.length; i++) {
        outcomes.push(await this.applyInSavepoint(m, append, writes[i], Math.max(1, recentLimit)));
        // better-sqlite3 answers synchronously: without this a large group holds the event loop
        // (WebSocket heartbeats included) for its whole length.
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      }
      return outcomes;
    });
  }

  private async applyInSavepoint(
    m: EntityManager,
    append: AppendEvent,
    { trackingNumber, input, nowMs }: ScanWrite,
    recentLimit: number,
  ): Promise<GroupItemOutcome> {
    let lookUpFirst = false;
    for (let attempt = 1; ; attempt++) {
      await m.query('SAVEPOINT scan_write');
      try {
        const outcome = await this.tryApplyScan(m, append, trackingNumber, input, nowMs, recentLimit, lookUpFirst);
        await m.query('RELEASE SAVEPOINT scan_write');
        return { ok: true, outcome };
      } catch (err) {
        await m.query('ROLLBACK TO SAVEPOINT scan_write');
        await m.query('RELEASE SAVEPOINT scan_write');
        // As in applyScan: a duplicate scanId is replayed on the next attempt, a stale version re-read.
        const duplicate = hasScanId(input) && isUniqueViolation(err);
        if (duplicate) lookUpFirst = true;
        if (!(err instanceof StaleVersion || duplicate) || attempt >= MAX_ATTEMPTS) return { ok: false, error: err };
      }
    }
  }

  /**
   * Checks the transition and applies one scan. The package update is conditional on the version
   * read, so two writers (two instances on one PostgreSQL) can never both apply a transition
   * checked against the same state: the loser reads again and re-checks.
   *
   * A scanId is not looked up before an accepted write: the unique index on (package, scan_id)
   * refuses a second one (an earlier request, or another instance a moment ago), and only then
   * (or when the scan would be refused anyway) is the earlier scan read and replayed. The hot
   * path thus costs no extra read for carrying a scanId. `recentLimit` previous scans are read in
   * the transaction (most recent first), so the answer needs no read after the commit.
   */
  private async tryApplyScan(
    m: EntityManager,
    append: AppendEvent,
    trackingNumber: string,
    input: ScanInput,
    nowMs: number,
    recentLimit: number,
    lookUpFirst: boolean,
  ): Promise<ScanOutcome> {
    const row = await findPackage(m, trackingNumber);
    if (!row) return { kind: 'not_found' };
    // Before the rules: a retry of an accepted scan is often no longer a valid move (delivered twice).
    const replay = async (): Promise<ScanOutcome | undefined> => {
      if (!hasScanId(input)) return undefined;
      const earlier = await m.findOneBy(PackageScanEntity, { packageId: row.id, scanId: input.scanId });
      return earlier ? { kind: 'replayed', package: row, scan: earlier } : undefined;
    };
    if (lookUpFirst) {
      const replayed = await replay();
      if (replayed) return replayed;
    }
    if (input.scannedAtMs < row.createdAtMs) return (await replay()) ?? { kind: 'before_creation', package: row };
    const check = checkTransition(row.status, input.status, row.statusBeforeException ?? undefined);
    if (!check.ok) return (await replay()) ?? { kind: 'rejected', package: row, allowed: check.allowed };

    const recent = await recentScans(m, row.id, recentLimit);
    const scan = m.create(PackageScanEntity, {
      packageId: row.id,
      ...input,
      scanId: hasScanId(input) ? input.scanId : null,
      recordedAtMs: nowMs,
    });
    await insertScan(m, scan);

    const previousStatus = row.status;
    const changes: Partial<PackageEntity> = {
      status: input.status,
      statusBeforeException: check.beforeException ?? null,
      location: input.location,
      latitude: input.latitude,
      longitude: input.longitude,
      lastScanMs: input.scannedAtMs,
      version: row.version + 1,
    };
    if (input.status === 'delivered' && row.deliveredAtMs === null) changes.deliveredAtMs = input.scannedAtMs;
    const updated: PackageEntity = { ...row, ...changes };
    if ((await updatePackage(m, row, updated)) !== 1) throw new StaleVersion();
    await appendPackageUpdate(append, updated);
    return {
      kind: 'accepted',
      package: updated,
      scan,
      previousStatus,
      previousScan: recent[0],
      recent: [scan, ...recent],
      recentComplete: recent.length < recentLimit,
    };
  }

  findByTrackingNumber(trackingNumber: string): Promise<PackageEntity | null> {
    return this.db.getRepository(PackageEntity).findOneBy({ trackingNumber });
  }

  /**
   * Most recently recorded first: the order the status rules saw them in, so the first one is
   * always the package's current state even when a device uploads a scan late.
   */
  recentScans(packageId: string, limit: number): Promise<PackageScanEntity[]> {
    return this.db.getRepository(PackageScanEntity).find({
      where: { packageId },
      order: { id: 'DESC' },
      take: limit,
    });
  }

  /**
   * The package as `scan` left it, rebuilt from the history (which is append-only): what a replay
   * of that scan answers, even after later scans moved the package on.
   */
  async stateAfterScan(
    row: PackageEntity,
    scan: PackageScanEntity,
    limit: number,
  ): Promise<{ package: PackageEntity; scans: PackageScanEntity[] }> {
    const scans = this.db.getRepository(PackageScanEntity);
    const upTo = { packageId: row.id, id: LessThanOrEqual(scan.id) };
    const [recent, count, delivery] = await Promise.all([
      scans.find({ where: upTo, order: { id: 'DESC' }, take: limit }),
      scans.countBy(upTo),
      row.deliveredAtMs === null
        ? null
        : scans.findOne({ where: { ...upTo, status: 'delivered' }, order: { id: 'ASC' } }),
    ]);
    const state: PackageEntity = {
      ...row,
      status: scan.status,
      location: scan.location,
      latitude: scan.latitude,
      longitude: scan.longitude,
      lastScanMs: scan.scannedAtMs,
      deliveredAtMs: delivery ? delivery.scannedAtMs : null,
      // Every accepted change, the creation included, is one scan row and one version.
      version: count,
    };
    return { package: state, scans: recent };
  }

  /** Oldest first, in the order the status rules saw them, keyset-paged on the scan's id. */
  scanPage(packageId: string, limit: number, afterId?: number): Promise<PackageScanEntity[]> {
    return this.db.getRepository(PackageScanEntity).find({
      where: afterId === undefined ? { packageId } : { packageId, id: MoreThan(afterId) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  /** Newest first, keyset-paged on (createdAt, id) so pages stay stable while packages are added. */
  page(filter: { status?: PackageStatus; carrier?: string }, limit: number, after?: PageKey): Promise<PackageEntity[]> {
    const qb = this.db.getRepository(PackageEntity).createQueryBuilder('p');
    if (filter.status) qb.andWhere('p.status = :status', { status: filter.status });
    if (filter.carrier) qb.andWhere('p.carrier = :carrier', { carrier: filter.carrier });
    if (after) {
      qb.andWhere(
        new Brackets((w) => {
          w.where('p.createdAtMs < :c', { c: after.createdAtMs }).orWhere(
            new Brackets((e) =>
              e.where('p.createdAtMs = :c', { c: after.createdAtMs }).andWhere('p.id < :i', { i: after.id }),
            ),
          );
        }),
      );
    }
    return qb.orderBy('p.createdAtMs', 'DESC').addOrderBy('p.id', 'DESC').take(limit).getMany();
  }

  findActive(): Promise<PackageEntity[]> {
    return this.db
      .getRepository(PackageEntity)
      .createQueryBuilder('p')
      .where('p.status NOT IN (:...final)', { final: ['delivered', 'returned'] })
      .getMany();
  }

  async countByStatus(): Promise<Partial<Record<PackageStatus, number>>> {
    const rows = await this.db
      .getRepository(PackageEntity)
      .createQueryBuilder('p')
      .select('p.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('p.status')
      .getRawMany<{ status: PackageStatus; count: string | number }>();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.count)]));
  }

  async countDelayed(nowMs: number): Promise<number> {
    return this.db
      .getRepository(PackageEntity)
      .createQueryBuilder('p')
      .where('p.status NOT IN (:...final)', { final: ['delivered', 'returned'] })
      .andWhere('p.estimatedDeliveryMs < :now', { now: nowMs })
      .getCount();
  }

  /** Count and mean duration (ms) from creation to delivery over packages that were delivered. */
  async deliveryDurations(): Promise<{ count: number; avgMs: number }> {
    const row = await this.db
      .getRepository(PackageEntity)
      .createQueryBuilder('p')
      .select('COUNT(*)', 'count')
      .addSelect('AVG(p.deliveredAtMs - p.createdAtMs)', 'avg')
      .where('p.deliveredAtMs IS NOT NULL')
      .getRawOne<{ count: string | number; avg: string | number | null }>();
    return { count: Number(row?.count ?? 0), avgMs: Number(row?.avg ?? 0) };
  }
}
