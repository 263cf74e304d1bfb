import { Module } from '@nestjs/common';
import { AdmissionService } from './admission.service.js';
import { ConnectionRegistry } from './connection-registry.js';
import { GatewayStats } from './gateway-stats.js';
import { HeartbeatService } from './heartbeat.service.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { SessionService } from './session.service.js';
import { SubscriptionService } from './subscription.service.js';
import { UpgradeGate } from './upgrade-gate.js';

/** The WebSocket gateway. bootstrap.ts installs TracklightWsAdapter, which resolves these. */
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
  ],
  exports: [ConnectionRegistry, SessionService, GatewayStats],
})
export class GatewayModule {}
