import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { ScheduleStatus } from '@tracklight/protocol';

/** bigint comes back as a string from PostgreSQL and a number from SQLite; epoch ms fit a number. */
const epochMs: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};

/** JSON kept as text: portable across SQLite and PostgreSQL, and never queried into. */
const json: ValueTransformer = {
  to: (v: unknown) => (v === null || v === undefined ? v : JSON.stringify(v)),
  from: (v: string | null) => (v === null || v === undefined ? v : (JSON.parse(v) as unknown)),
};

export interface ScheduleErrorInfo {
  code: string;
  message: string;
  details: unknown;
}

@Entity('schedules')
export class ScheduleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 200 })
  ownerId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  strategy!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: ScheduleStatus;

  @Column({ type: 'varchar', length: 20 })
  step!: string;

  @Column({ type: 'integer' })
  progress!: number;

  @Column({ type: 'integer' })
  vehicles!: number;

  @Column({ name: 'stop_count', type: 'integer' })
  stopCount!: number;

  @Column({ type: 'text', nullable: true, transformer: json })
  result!: unknown;

  @Column({ type: 'text', nullable: true, transformer: json })
  error!: ScheduleErrorInfo | null;

  /** The gateway instance running the job: after a crash only its own leftovers are failed. */
  @Column({ name: 'instance_id', type: 'varchar', length: 200 })
  instanceId!: string;

  @Column({ name: 'created_at_ms', type: 'bigint', transformer: epochMs })
  createdAtMs!: number;

  @Column({ name: 'updated_at_ms', type: 'bigint', transformer: epochMs })
  updatedAtMs!: number;

  @Column({ name: 'started_at_ms', type: 'bigint', nullable: true, transformer: epochMs })
  startedAtMs!: number | null;

  @Column({ name: 'finished_at_ms', type: 'bigint', nullable: true, transformer: epochMs })
  finishedAtMs!: number | null;
}
