import {
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Query,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Auth } from '../auth/auth.decorators.js';
import { WsAdminService, type ConnectionList, type WsStatus } from './ws-admin.service.js';
import { ListConnectionsQuery } from './list-connections.query.js';

/** Seconds a DELETE answered 503 (an instance did not answer) suggests waiting before a retry. */
const CLOSE_RETRY_AFTER_SECONDS = 1;

/**
 * Operators' view of the WebSocket connections (docs/PROTOCOL.md section 5): this instance's, or with
 * Redis every instance's.
 */
@ApiTags('admin')
@Controller('ws')
@Auth('admin')
export class WsAdminController {
  constructor(private readonly admin: WsAdminService) {}

  @Get('status')
  @ApiOperation({ summary: 'Connection and subscription counts, of every instance with Redis' })
  status(): Promise<WsStatus> {
    return this.admin.status();
  }

  @Get('connections')
  @ApiOperation({ summary: 'Open WebSocket connections, filtered and paged' })
  connections(@Query() query: ListConnectionsQuery): Promise<ConnectionList> {
    return this.admin.list(query);
  }

  /** Closes the connection with 4403 ("closed by an admin: do not reconnect"). */
  @Delete('connections/:connectionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Close a connection with 4403 (do not reconnect); 404 when not open anywhere' })
  async close(@Param('connectionId') connectionId: string, @Res({ passthrough: true }) res: Response): Promise<void> {
    const result = await this.admin.closeAnywhere(connectionId);
    switch (result) {
      case 'closed':
        return;
      case 'absent':
        throw new NotFoundException({
          statusCode: 404,
          error: 'Not Found',
          message: `No open connection ${connectionId}`,
        });
      case 'unknown':
        res.setHeader('Retry-After', String(CLOSE_RETRY_AFTER_SECONDS));
        throw new ServiceUnavailableException({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `Connection ${connectionId} not found on the instances that answered; some did not answer in time`,
        });
    }
  }
}
