import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NotificationLevel } from '@tracklight/protocol';
import { epochMs } from '../packages/storage/epoch-ms.js';

@Entity('notifications')
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 10 })
  level!: NotificationLevel;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 2000 })
  message!: string;

  /** Null for a broadcast. */
  @Column({ name: 'user_id', type: 'varchar', length: 200, nullable: true })
  userId!: string | null;

  @Column({ name: 'created_at_ms', type: 'bigint', transformer: epochMs })
  createdAtMs!: number;
}
