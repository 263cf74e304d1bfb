import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentLiveness } from './agent-liveness.js';
import { AgentsController } from './agents.controller.js';
import { AgentsService } from './agents.service.js';
import { AgentEntity } from './storage/agent.entity.js';
import { AgentStore } from './storage/agent.store.js';

/** Agent heartbeats and liveness on `agent_activity`; import it to report as an agent in-process. */
@Module({
  imports: [TypeOrmModule.forFeature([AgentEntity])],
  controllers: [AgentsController],
  providers: [AgentStore, AgentsService, AgentLiveness],
  exports: [AgentsService],
})
export class AgentsModule {}
