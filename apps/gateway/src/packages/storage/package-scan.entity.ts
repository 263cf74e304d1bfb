import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PackageStatus } from '@tracklight/protocol';
import { epochMs } from './epoch-ms.js';

/** Accepted scans, the package's history (its creation is the first one). */
@Entity('package_scans')
export class PackageScanEntity {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column({ name: 'package_id', type: 'varchar', length: 36 })
  packageId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: PackageStatus;

  @Column({ type: 'varchar', length: 200 })
  location!: string;

  @Column({ type: 'double precision' })
  latitude!: number;

  @Column({ type: 'double precision' })
  longitude!: number;

  @Column({ name: 'scanned_at_ms', type: 'bigint', transformer: epochMs })
  scannedAtMs!: number;

  /** The sender's idempotency key; unique per package when set. */
  @Column({ name: 'scan_id', type: 'varchar', length: 64, nullable: true })
  scanId!: string | null;

  @Column({ name: 'recorded_at_ms', type: 'bigint', transformer: epochMs })
  recordedAtMs!: number;
}
