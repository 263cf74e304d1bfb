import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { HealthService } from '../health/health.service.js';
import { BusAvailableGuard } from './bus-available.guard.js';
import { BusRetryAfterInterceptor } from './bus-retry-after.interceptor.js';
import { DurableEventBus } from './durable/durable-event-bus.js';
import { EventBus } from './event-bus.js';
import { InMemoryEventBus } from './in-memory-event-bus.js';
import { EventLog } from './outbox/event-log.js';
import { EventLogStore } from './outbox/event-log-store.js';
import { RedisEventBus } from './redis/redis-event-bus.js';

function createLog(config: AppConfig, db: DataSource | undefined): EventLog | undefined {
  return db ? new EventLog(db, new EventLogStore(db), config.eventBacklogMax) : undefined;
}

function createBus(
  config: AppConfig,
  health: HealthService,
  log: EventLog | undefined,
  db: DataSource | undefined,
): EventBus {
  const bus = config.redisUrl ? new RedisEventBus(config, health) : new InMemoryEventBus(config);
  if (!db || !log) return bus;
  return new DurableEventBus(bus, log, db, {
    windowMs: config.durableHistoryMs,
    maxReplay: 50_000,
    showsBeforePersist: !!config.redisUrl,
    settleTimeoutMs: 3_000,
  });
}

/**
 * Global so feature modules inject EventBus and EventLog without importing anything of the
 * gateway. REDIS_URL selects the Redis stream bus (several instances), otherwise the in-process
 * bus; with storage (always, in the application) the stored topics' events go through the event
 * log and its relay (docs/architecture.md, "The event log").
 */
@Global()
@Module({
  providers: [
    { provide: EventLog, useFactory: createLog, inject: [APP_CONFIG, { token: DataSource, optional: true }] },
    {
      provide: EventBus,
      useFactory: createBus,
      inject: [APP_CONFIG, HealthService, EventLog, { token: DataSource, optional: true }],
    },
    BusAvailableGuard,
    BusRetryAfterInterceptor,
  ],
  exports: [EventBus, EventLog, BusAvailableGuard, BusRetryAfterInterceptor],
})
export class BusModule {}
