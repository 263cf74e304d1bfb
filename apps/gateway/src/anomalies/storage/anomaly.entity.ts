import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { Severity } from '@tracklight/protocol';
import type { AnomalyType } from '../anomaly-types.js';

/** bigint comes back as a string from PostgreSQL; epoch milliseconds fit a JS number exactly. */
const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

@Entity('anomalies')
export class AnomalyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'package_id', type: 'varchar', length: 36 })
  packageId!: string;

  @Column({ name: 'tracking_number', type: 'varchar', length: 100 })
  trackingNumber!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: AnomalyType;

  @Column({ type: 'varchar', length: 16 })
  severity!: Severity;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'recommended_action', type: 'text' })
  recommendedAction!: string;

  @Column({ name: 'confidence_score', type: 'double precision' })
  confidenceScore!: number;

  @Column({ name: 'detected_at_ms', type: 'bigint', transformer: epochMs })
  detectedAtMs!: number;

  @Column({ name: 'updated_at_ms', type: 'bigint', transformer: epochMs })
  updatedAtMs!: number;

  @Column({ name: 'resolved_at_ms', type: 'bigint', nullable: true, transformer: epochMs })
  resolvedAtMs!: number | null;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 100, nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'acknowledged_at_ms', type: 'bigint', nullable: true, transformer: epochMs })
  acknowledgedAtMs!: number | null;
}
