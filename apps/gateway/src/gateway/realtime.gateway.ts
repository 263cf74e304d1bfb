import type { IncomingMessage } from 'node:http';
import { type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { AuthFrame, PingFrame, SubscribeFrame, UnsubscribeFrame } from '@tracklight/protocol';
import type { Subscription } from 'rxjs';
import type { WebSocket } from 'ws';
import { EventBus } from '../bus/event-bus.js';
import { AdmissionService } from './admission.service.js';
import { ConnectionRegistry } from './connection-registry.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { messageRoutes } from './message-routes.js';
import { SessionService } from './session.service.js';
import { SubscriptionService } from './subscription.service.js';

/**
 * The Nest gateway for all five endpoints (TracklightWsAdapter routes them to this one server).
 * Frames arrive here already rate-limited and validated by the MessageDispatcher, which calls
 * these `@SubscribeMessage` methods directly (message-routes.ts), so handlers only act. The only
 * bus subscription of the gateway lives here: one for every client. A disconnect goes from the
 * adapter's shared 'close' listener straight to SessionService.disconnected (no Nest callback).
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayConnection, OnModuleInit, OnModuleDestroy {
  private busSubscription: Subscription | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly registry: ConnectionRegistry,
    private readonly admission: AdmissionService,
    private readonly sessions: SessionService,
    private readonly subscriptions: SubscriptionService,
    private readonly dispatcher: MessageDispatcher,
  ) {}

  onModuleInit(): void {
    this.dispatcher.setRoutes(messageRoutes(this));
    const fanout = this.registry.fanout;
    this.busSubscription = this.bus.events$.subscribe((event) => fanout.deliver(event));
  }

  onModuleDestroy(): void {
    this.busSubscription?.unsubscribe();
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    this.admission.accept(ws, req);
  }

  @SubscribeMessage('subscribe')
  subscribe(ws: WebSocket, frame: SubscribeFrame): Promise<void> | void {
    const conn = this.registry.of(ws);
    if (conn && !conn.closed) return this.subscriptions.subscribe(conn, frame);
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(ws: WebSocket, frame: UnsubscribeFrame): void {
    const conn = this.registry.of(ws);
    if (conn && !conn.closed) this.subscriptions.unsubscribe(conn, frame);
  }

  @SubscribeMessage('ping')
  ping(ws: WebSocket, frame: PingFrame): void {
    this.registry.of(ws)?.reply('pong', { serverTime: new Date().toISOString() }, frame.ref);
  }

  @SubscribeMessage('auth')
  async auth(ws: WebSocket, frame: AuthFrame): Promise<void> {
    const conn = this.registry.of(ws);
    if (conn && !conn.closed) await this.sessions.reauthenticate(conn, frame);
  }
}
