import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { publicServer } from '../openapi/public-server.js';
import { buildAsyncApiDocument, type AsyncApiDocument } from './asyncapi-document.js';

/** GET /asyncapi.json: public, like /docs-json; it describes the protocol, it grants nothing. */
@ApiExcludeController()
@Controller()
export class AsyncApiController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('asyncapi.json')
  document(@Req() req: Request): AsyncApiDocument {
    return buildAsyncApiDocument(publicServer(req, this.config.ws.trustProxy));
  }
}
