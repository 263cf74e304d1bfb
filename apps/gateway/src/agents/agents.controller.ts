import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { AgentIdPipe } from './agent-id.pipe.js';
import type { AgentView } from './agent-view.js';
import { AgentsService } from './agents.service.js';
import { HeartbeatDto } from './dto/heartbeat.dto.js';

@ApiTags('agents')
@ApiBearerAuth()
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post(':agentId/heartbeat')
  @Auth('ops', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report an agent alive with its state; publishes agent_activity' })
  heartbeat(@Param('agentId', AgentIdPipe) agentId: string, @Body() body: HeartbeatDto): Promise<AgentView> {
    return this.agents.heartbeat(agentId, body);
  }

  @Get()
  @Auth('ops', 'admin')
  @ApiOperation({ summary: 'Every known agent with its last state' })
  async list(): Promise<{ items: AgentView[] }> {
    return { items: await this.agents.list() };
  }
}
