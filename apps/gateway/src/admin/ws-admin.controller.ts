import { Controller, Delete, Get, HttpCode, NotFoundException, Param, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorators.js';
import { WsAdminService, type ConnectionList, type WsStatus } from './ws-admin.service.js';
import { ListConnectionsQuery } from './list-connections.query.js';

/** Operators' view of this instance's WebSocket connections (PROTOCOL.md section 5). */
@Controller('ws')
@Auth('admin')
export class WsAdminController {
  constructor(private readonly admin: WsAdminService) {}

  @Get('status')
  status(): Promise<WsStatus> {
    return this.admin.status();
  }

  @Get('connections')
  connections(@Query() query: ListConnectionsQuery): ConnectionList {
    return this.admin.list(query);
  }

  /** Closes the connection with 4403 ("closed by an admin: do not reconnect"). */
  @Delete('connections/:connectionId')
  @HttpCode(204)
  close(@Param('connectionId') connectionId: string): void {
    if (!this.admin.close(connectionId)) {
      throw new NotFoundException({
        statusCode: 404,
        error: 'Not Found',
        message: `No open connection ${connectionId} on this instance`,
      });
    }
  }
}
