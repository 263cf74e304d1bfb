import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth } from '../auth/auth.decorators.js';
import { RequiresBus } from '../bus/requires-bus.decorator.js';
import { AgentIdPipe } from './agent-id.pipe.js';
import type { AgentView } from './agent-view.js';
import { AgentsService } from './agents.service.js';
import { HeartbeatDto } from './dto/heartbeat.dto.js';

@ApiTags('agents')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'No valid bearer token' })
@ApiForbiddenResponse({ description: 'Requires ops or admin' })
@Controller('agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post(':agentId/heartbeat')
  @RequiresBus()
  @Auth('ops', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report an agent alive with its state; publishes agent_activity' })
  @ApiOkResponse({ description: '`{ agentId, name, state, action, at, lastSeenAt, stateChangedAt }`' })
  @ApiBadRequestResponse({ description: 'Invalid agentId or body; `fields` lists the failing fields' })
  heartbeat(@Param('agentId', AgentIdPipe) agentId: string, @Body() body: HeartbeatDto): Promise<AgentView> {
    return this.agents.heartbeat(agentId, body);
  }

  @Get()
  @Auth('ops', 'admin')
  @ApiOperation({ summary: 'Every known agent with its last state' })
  @ApiOkResponse({ description: '`{ items: [{ agentId, name, state, action, at, lastSeenAt, stateChangedAt }] }`' })
  async list(): Promise<{ items: AgentView[] }> {
    return { items: await this.agents.list() };
  }
}
