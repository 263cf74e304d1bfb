import { Module } from '@nestjs/common';
import { AdmissionService } from './admission.service.js';
import { ConnectionRegistry } from './connection-registry.js';
import { GatewayStats } from './gateway-stats.js';
import { HeartbeatService } from './heartbeat.service.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { SessionService } from './session.service.js';
import { SubscriptionService } from './subscription.service.js';
import { SseController } from './sse/sse.controller.js';
import { SseService } from './sse/sse.service.js';
import { UpgradeGate } from './upgrade-gate.js';

/**
 * The WebSocket gateway (bootstrap.ts installs TracklightWsAdapter, which resolves these) and
 * its Server-Sent Events endpoint, one more kind of subscriber of the same fan-out.
 */
@Module({
  providers: [
    GatewayStats,
    ConnectionRegistry,
    UpgradeGate,
    MessageDispatcher,
    SubscriptionService,
    SessionService,
    AdmissionService,
    HeartbeatService,
    RealtimeGateway,
    SseService,
  ],
  controllers: [SseController],
  exports: [ConnectionRegistry, SessionService, GatewayStats],
})
export class GatewayModule {}
