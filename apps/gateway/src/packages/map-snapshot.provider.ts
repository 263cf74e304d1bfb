import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, type Repository } from 'typeorm';
import type { MapSnapshot, SubscriptionFilter } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { EventInvalidatedCache } from '../snapshots/event-invalidated-cache.js';
import { SnapshotRegistry, type SnapshotProvider } from '../snapshots/snapshot-registry.js';
import { iso } from './storage/epoch-ms.js';
import { PackageEntity } from './storage/package.entity.js';

/** Contract revision 2: at most this many positions per snapshot. */
export const MAP_SNAPSHOT_LIMIT = 5000;

/**
 * `map_updates` snapshots: the latest position of every package in flight (neither delivered nor
 * returned), inside the subscription's bbox, most recently scanned first. Without it a map opened
 * now shows only packages that happen to move after it opened.
 */
@Injectable()
export class MapSnapshotProvider implements SnapshotProvider<'map_updates'>, OnModuleInit, OnModuleDestroy {
  /**
   * Every change to a package publishes on one of these (PackageStore, PackageDomainEvents); a
   * quarter second still serves thousands of subscribes from one query.
   */
  private readonly cache = new EventInvalidatedCache<MapSnapshot>(new Set(['package_updates', 'map_updates']), 250);

  constructor(
    private readonly registry: SnapshotRegistry,
    private readonly bus: EventBus,
    @InjectRepository(PackageEntity) private readonly packages: Repository<PackageEntity>,
  ) {}

  onModuleInit(): void {
    this.cache.attach(this.bus);
    this.registry.register('map_updates', this);
  }

  onModuleDestroy(): void {
    this.cache.detach();
  }

  snapshot(_topic: string, _parsed: unknown, filter?: SubscriptionFilter): Promise<MapSnapshot> {
    const bbox = filter?.bbox;
    return this.cache.get(bbox ? bbox.join(',') : '', () => this.query(bbox));
  }

  private async query(bbox: SubscriptionFilter['bbox']): Promise<MapSnapshot> {
    const query = this.packages
      .createQueryBuilder('p')
      .select(['p.id', 'p.trackingNumber', 'p.latitude', 'p.longitude', 'p.status', 'p.carrier', 'p.lastScanMs'])
      .where('p.status NOT IN (:...final)', { final: ['delivered', 'returned'] });
    if (bbox) {
      const [west, south, east, north] = bbox;
      query.andWhere('p.latitude BETWEEN :south AND :north', { south, north });
      // west > east: the box crosses the antimeridian (same rule as the live filter, inBbox).
      if (west <= east) query.andWhere('p.longitude BETWEEN :west AND :east', { west, east });
      else {
        query.andWhere(
          new Brackets((q) => q.where('p.longitude >= :west', { west }).orWhere('p.longitude <= :east', { east })),
        );
      }
    }
    const rows = await query
      .orderBy('p.lastScanMs', 'DESC')
      .addOrderBy('p.id', 'ASC')
      .limit(MAP_SNAPSHOT_LIMIT + 1)
      .getMany();
    return {
      positions: rows.slice(0, MAP_SNAPSHOT_LIMIT).map((r) => ({
        packageId: r.id,
        trackingNumber: r.trackingNumber,
        latitude: r.latitude,
        longitude: r.longitude,
        status: r.status,
        carrier: r.carrier,
        lastScanTime: iso(r.lastScanMs),
      })),
      truncated: rows.length > MAP_SNAPSHOT_LIMIT,
    };
  }
}
