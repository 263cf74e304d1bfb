import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Not, type Repository } from 'typeorm';
import { AgentEntity } from './agent.entity.js';

@Injectable()
export class AgentStore {
  constructor(@InjectRepository(AgentEntity) private readonly repo: Repository<AgentEntity>) {}

  async find(id: string): Promise<AgentEntity | undefined> {
    return (await this.repo.findOneBy({ id })) ?? undefined;
  }

  /** Insert or replace; ON CONFLICT on both SQLite and PostgreSQL. */
  async save(row: AgentEntity): Promise<void> {
    await this.repo.upsert(row, ['id']);
  }

  all(): Promise<AgentEntity[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  countOnline(): Promise<number> {
    return this.repo.countBy({ state: Not('offline') });
  }

  /** Agents not offline whose last heartbeat is older than `seenBefore`. */
  silentSince(seenBefore: number): Promise<AgentEntity[]> {
    return this.repo.find({
      where: { state: Not('offline'), lastSeenAtMs: LessThan(seenBefore) },
      order: { id: 'ASC' },
    });
  }

  /**
   * Marks a silent agent offline only if nothing changed since it was read: no heartbeat came in
   * meanwhile and no other instance did it first. True for exactly one caller.
   */
  async markOffline(row: AgentEntity, action: string, now: number): Promise<boolean> {
    const res = await this.repo.update(
      { id: row.id, state: Not('offline'), lastSeenAtMs: row.lastSeenAtMs },
      { state: 'offline', action, stateChangedAtMs: now },
    );
    return (res.affected ?? 0) > 0;
  }
}
