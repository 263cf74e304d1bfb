import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PackageStatus } from '@tracklight/protocol';
import { epochMs } from './epoch-ms.js';

/** One row per package: its route and its current state (the latest accepted scan). */
@Entity('packages')
export class PackageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tracking_number', type: 'varchar', length: 100, unique: true })
  trackingNumber!: string;

  @Column({ type: 'varchar', length: 100 })
  carrier!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: PackageStatus;

  @Column({ name: 'status_before_exception', type: 'varchar', length: 20, nullable: true })
  statusBeforeException!: PackageStatus | null;

  @Column({ name: 'origin_name', type: 'varchar', length: 200 })
  originName!: string;

  @Column({ name: 'origin_latitude', type: 'double precision' })
  originLatitude!: number;

  @Column({ name: 'origin_longitude', type: 'double precision' })
  originLongitude!: number;

  @Column({ name: 'destination_name', type: 'varchar', length: 200 })
  destinationName!: string;

  @Column({ name: 'destination_latitude', type: 'double precision' })
  destinationLatitude!: number;

  @Column({ name: 'destination_longitude', type: 'double precision' })
  destinationLongitude!: number;

  @Column({ type: 'varchar', length: 200 })
  location!: string;

  @Column({ type: 'double precision' })
  latitude!: number;

  @Column({ type: 'double precision' })
  longitude!: number;

  @Column({ name: 'estimated_delivery_ms', type: 'bigint', transformer: epochMs })
  estimatedDeliveryMs!: number;

  @Column({ name: 'last_scan_ms', type: 'bigint', transformer: epochMs })
  lastScanMs!: number;

  @Column({ name: 'created_at_ms', type: 'bigint', transformer: epochMs })
  createdAtMs!: number;

  @Column({ name: 'delivered_at_ms', type: 'bigint', nullable: true, transformer: epochMs })
  deliveredAtMs!: number | null;

  /** Optimistic concurrency: a scan applies only to the version it was checked against. */
  @Column({ type: 'integer', default: 1 })
  version!: number;
}
