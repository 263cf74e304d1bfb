import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ParsedTopic, ScheduleSnapshot } from '@tracklight/protocol';
import {
  SnapshotRegistry,
  type SnapshotProvider,
  type TopicOwnershipResolver,
} from '../snapshots/snapshot-registry.js';
import { SchedulesService } from './schedules.service.js';
import { ScheduleStore } from './storage/schedule.store.js';

/**
 * `schedule:{id}` for the gateway: who owns it (only the owner and admins may subscribe) and its
 * snapshot, which is exactly what GET /schedules/:id returns.
 */
@Injectable()
export class ScheduleTopicProvider implements SnapshotProvider<'schedule:'>, TopicOwnershipResolver, OnModuleInit {
  constructor(
    private readonly registry: SnapshotRegistry,
    private readonly schedules: SchedulesService,
    private readonly store: ScheduleStore,
  ) {}

  onModuleInit(): void {
    this.registry.register('schedule:', this);
    this.registry.registerOwnership('schedule:', this);
  }

  ownerOf(key: string): Promise<string | undefined> {
    return this.store.ownerOf(key);
  }

  snapshot(_topic: string, parsed: ParsedTopic): Promise<ScheduleSnapshot | undefined> {
    return parsed.family === 'schedule:' ? this.schedules.view(parsed.key) : Promise.resolve(undefined);
  }
}
