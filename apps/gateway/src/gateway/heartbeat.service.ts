import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ConnectionRegistry } from './connection-registry.js';

/**
 * WebSocket ping every heartbeatIntervalMs; a connection that did not answer the previous ping is
 * terminated (a peer that vanished without a FIN would otherwise hold its slot forever). One
 * interval for all connections, not a timer each.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.beat(), this.config.ws.heartbeatIntervalMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const conn of this.registry.all()) {
      if (!conn.alive) {
        this.logger.log({ msg: 'heartbeat timeout', connectionId: conn.id, userId: conn.userId });
        conn.terminate();
        continue;
      }
      conn.alive = false;
      if (conn.open) conn.ws.ping();
    }
  }
}
