import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClusterService } from './cluster.service.js';
import { LocalClusterService } from './local-cluster.service.js';
import { RedisClusterService } from './redis-cluster.service.js';

/** Global: the gateway injects ClusterService for /ws/status and the per-user cap. */
@Global()
@Module({
  providers: [
    {
      provide: ClusterService,
      useFactory: (config: AppConfig): ClusterService =>
        config.redisUrl ? new RedisClusterService(config) : new LocalClusterService(config),
      inject: [APP_CONFIG],
    },
  ],
  exports: [ClusterService],
})
export class ClusterModule {}
