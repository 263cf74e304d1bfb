import { Module } from '@nestjs/common';
import { AsyncApiController } from './asyncapi.controller.js';

/** The AsyncAPI document of the WebSocket protocol at GET /asyncapi.json. */
@Module({ controllers: [AsyncApiController] })
export class AsyncApiModule {}
