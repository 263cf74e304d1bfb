import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus.js';
import { InMemoryEventBus } from './in-memory-event-bus.js';

/** Global so feature modules inject EventBus without importing anything of the gateway. */
@Global()
@Module({
  providers: [{ provide: EventBus, useClass: InMemoryEventBus }],
  exports: [EventBus],
})
export class BusModule {}
