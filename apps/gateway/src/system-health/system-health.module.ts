import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { SystemHealthService } from './system-health.service.js';

/** `system_health` on the bus and as snapshot. */
@Module({ imports: [AgentsModule], providers: [SystemHealthService], exports: [SystemHealthService] })
export class SystemHealthModule {}
