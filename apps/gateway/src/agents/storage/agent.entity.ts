import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { AgentState } from '@tracklight/protocol';

/** bigint comes back as a string from PostgreSQL and a number from SQLite; epoch ms fit a number. */
const epochMs: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};

@Entity('agents')
export class AgentEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  state!: AgentState;

  @Column({ type: 'varchar', length: 500 })
  action!: string;

  @Column({ name: 'last_seen_at_ms', type: 'bigint', transformer: epochMs })
  lastSeenAtMs!: number;

  @Column({ name: 'state_changed_at_ms', type: 'bigint', transformer: epochMs })
  stateChangedAtMs!: number;
}
