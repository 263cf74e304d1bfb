import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { ScheduleRunner } from './schedule-runner.js';
import { ScheduleTopicProvider } from './schedule-topic.provider.js';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';
import { ScheduleEntity } from './storage/schedule.entity.js';
import { ScheduleStore } from './storage/schedule.store.js';

/** Route planning on worker threads, published on schedule:{scheduleId}. */
@Module({
  imports: [TypeOrmModule.forFeature([ScheduleEntity]), NotificationsModule],
  controllers: [SchedulesController],
  providers: [ScheduleStore, ScheduleRunner, SchedulesService, ScheduleTopicProvider],
})
export class SchedulesModule {}
