import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { PackagesModule } from '../packages/packages.module.js';
import { AnomaliesController } from './anomalies.controller.js';
import { AnomalyAcknowledgeController } from './anomaly-acknowledge.controller.js';
import { AnomalyAcknowledgeService } from './anomaly-acknowledge.service.js';
import { ANOMALY_RULES, AnomalyEngine } from './anomaly-engine.js';
import { AnomalyNotifier } from './anomaly-notifier.js';
import { AnomalyPublisher } from './anomaly-publisher.js';
import { AnomalyTriggers } from './anomaly-triggers.js';
import { buildRules } from './rules/index.js';
import { AnomalyAcknowledgements } from './storage/anomaly-acknowledgements.js';
import { AnomalyEntity } from './storage/anomaly.entity.js';
import { AnomalyStore } from './storage/anomaly-store.js';

/** Detects, stores and publishes anomalies; exports the store the metrics module counts from at start. */
@Module({
  imports: [TypeOrmModule.forFeature([AnomalyEntity]), PackagesModule, NotificationsModule],
  controllers: [AnomaliesController, AnomalyAcknowledgeController],
  providers: [
    AnomalyStore,
    AnomalyAcknowledgements,
    AnomalyAcknowledgeService,
    AnomalyPublisher,
    AnomalyEngine,
    AnomalyTriggers,
    { provide: AnomalyNotifier, useExisting: NotificationsService },
    { provide: ANOMALY_RULES, useFactory: (config: AppConfig) => buildRules(config.anomalies), inject: [APP_CONFIG] },
  ],
  exports: [AnomalyStore],
})
export class AnomaliesModule {}
