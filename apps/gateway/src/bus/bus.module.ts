import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { HealthService } from '../health/health.service.js';
import { EventBus } from './event-bus.js';
import { InMemoryEventBus } from './in-memory-event-bus.js';
import { RedisEventBus } from './redis/redis-event-bus.js';

/**
 * Global so feature modules inject EventBus without importing anything of the gateway.
 * REDIS_URL selects the Redis stream bus (several instances); otherwise the in-process bus.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      useFactory: (config: AppConfig, health: HealthService): EventBus =>
        config.redisUrl ? new RedisEventBus(config, health) : new InMemoryEventBus(config),
      inject: [APP_CONFIG, HealthService],
    },
  ],
  exports: [EventBus],
})
export class BusModule {}
