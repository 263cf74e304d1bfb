import { Module } from '@nestjs/common';
import { HistoryController } from './history.controller.js';
import { HistoryService } from './history.service.js';

/** GET /events: the history API over the event log (EventLog and SnapshotRegistry are global). */
@Module({ controllers: [HistoryController], providers: [HistoryService] })
export class HistoryModule {}
