import { Module } from '@nestjs/common';
import { GatewayModule } from '../gateway/gateway.module.js';
import { WsAdminController } from './ws-admin.controller.js';
import { WsAdminService } from './ws-admin.service.js';

/** GET /ws/status, GET /ws/connections, DELETE /ws/connections/:id (admin role). */
@Module({
  imports: [GatewayModule],
  controllers: [WsAdminController],
  providers: [WsAdminService],
})
export class AdminModule {}
