import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClusterAdmin } from './cluster-admin.js';
import { RedisClusterAdmin } from './cluster-admin-channel.js';
import { ClusterService } from './cluster.service.js';
import { LocalClusterAdmin } from './local-cluster-admin.js';
import { LocalClusterService } from './local-cluster.service.js';
import { RedisClusterService } from './redis-cluster.service.js';

/**
 * Global: the gateway injects ClusterService for /ws/status and the per-user cap; the admin
 * module injects ClusterAdmin for GET and DELETE /ws/connections across instances.
 */
@Global()
@Module({
  providers: [
    {
      provide: ClusterService,
      useFactory: (config: AppConfig): ClusterService =>
        config.redisUrl ? new RedisClusterService(config) : new LocalClusterService(config),
      inject: [APP_CONFIG],
    },
    {
      provide: ClusterAdmin,
      useFactory: (config: AppConfig, cluster: ClusterService): ClusterAdmin =>
        config.redisUrl ? new RedisClusterAdmin(config, cluster) : new LocalClusterAdmin(config.instanceId),
      inject: [APP_CONFIG, ClusterService],
    },
  ],
  exports: [ClusterService, ClusterAdmin],
})
export class ClusterModule {}
