import { Controller, Get, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { buildAsyncApiDocument, type AsyncApiDocument } from './asyncapi-document.js';

/** GET /asyncapi.json: public, like /docs-json; it describes the protocol, it grants nothing. */
@ApiExcludeController()
@Controller()
export class AsyncApiController {
  @Get('asyncapi.json')
  document(@Req() req: Request): AsyncApiDocument {
    return buildAsyncApiDocument({ host: req.get('host') ?? 'localhost:3000', secure: req.secure });
  }
}
