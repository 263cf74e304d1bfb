import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Connection } from './connection.js';
import { ConnectionRegistry } from './connection-registry.js';
import { PacedSweep } from './paced-sweep.js';

/**
 * WebSocket ping every heartbeatIntervalMs; a connection that did not answer the previous ping is
 * terminated (a peer that vanished without a FIN would otherwise hold its slot forever). One
 * sweep for all connections, not a timer each, paced over the interval (PacedSweep) so that the
 * pings of many connections never hold the event loop at once.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  private sweep: PacedSweep<Connection> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ConnectionRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.sweep = new PacedSweep(this.registry, this.config.ws.heartbeatIntervalMs, (conn) => this.beat(conn));
    this.sweep.start();
  }

  beforeApplicationShutdown(): void {
    this.sweep?.stop();
  }

  private beat(conn: Connection): void {
    if (!conn.alive) {
      this.logger.log({ msg: 'heartbeat timeout', connectionId: conn.id, userId: conn.userId });
      conn.terminate();
      return;
    }
    conn.alive = false;
    if (conn.open) conn.ws.ping();
  }
}
