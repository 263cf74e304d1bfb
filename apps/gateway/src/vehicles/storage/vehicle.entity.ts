import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** bigint comes back as a string from PostgreSQL and a number from SQLite; epoch ms fit a number. */
const epochMs: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};

/** A vehicle's latest reported position: one row per vehicle, replaced by each report. */
@Entity('vehicles')
export class VehicleEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ type: 'double precision' })
  latitude!: number;

  @Column({ type: 'double precision' })
  longitude!: number;

  @Column({ name: 'speed_kmh', type: 'double precision', nullable: true })
  speedKmh!: number | null;

  @Column({ type: 'double precision', nullable: true })
  heading!: number | null;

  @Column({ name: 'reported_at_ms', type: 'bigint', transformer: epochMs })
  reportedAtMs!: number;
}
