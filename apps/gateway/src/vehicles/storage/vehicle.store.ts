import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { VehicleEntity } from './vehicle.entity.js';

@Injectable()
export class VehicleStore {
  constructor(@InjectRepository(VehicleEntity) private readonly repo: Repository<VehicleEntity>) {}

  async find(id: string): Promise<VehicleEntity | undefined> {
    return (await this.repo.findOneBy({ id })) ?? undefined;
  }

  /** Insert or replace; ON CONFLICT on both SQLite and PostgreSQL. */
  async save(row: VehicleEntity): Promise<void> {
    await this.repo.upsert(row, ['id']);
  }

  all(): Promise<VehicleEntity[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }
}
