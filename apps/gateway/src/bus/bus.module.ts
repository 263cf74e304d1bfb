import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { HealthService } from '../health/health.service.js';
import { BusAvailableGuard } from './bus-available.guard.js';
import { BusRetryAfterInterceptor } from './bus-retry-after.interceptor.js';
import { DurableEventBus } from './durable/durable-event-bus.js';
import { DurableEventStore } from './durable/durable-event-store.js';
import { EventBus } from './event-bus.js';
import { InMemoryEventBus } from './in-memory-event-bus.js';
import { RedisEventBus } from './redis/redis-event-bus.js';

function createBus(config: AppConfig, health: HealthService, db: DataSource | undefined): EventBus {
  const bus = config.redisUrl ? new RedisEventBus(config, health) : new InMemoryEventBus(config);
  if (!db || config.durableHistoryMs <= 0) return bus;
  return new DurableEventBus(bus, new DurableEventStore(db), {
    windowMs: config.durableHistoryMs,
    flushMs: 200,
    maxReplay: 50_000,
    continuesAfterCleanShutdown: !config.redisUrl,
  });
}

/**
 * Global so feature modules inject EventBus without importing anything of the gateway.
 * REDIS_URL selects the Redis stream bus (several instances), otherwise the in-process bus;
 * with storage present, important events are also kept there for resumes past the hot history.
 * REST writes that publish use @RequiresBus() (BusAvailableGuard) to answer 503 while it is down.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      useFactory: createBus,
      inject: [APP_CONFIG, HealthService, { token: DataSource, optional: true }],
    },
    BusAvailableGuard,
    BusRetryAfterInterceptor,
  ],
  exports: [EventBus, BusAvailableGuard, BusRetryAfterInterceptor],
})
export class BusModule {}
