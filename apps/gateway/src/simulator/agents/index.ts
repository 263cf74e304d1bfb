import type { ModuleMetadata, Provider } from '@nestjs/common';
import { AgentsModule } from '../../agents/agents.module.js';
import { AnomaliesModule } from '../../anomalies/anomalies.module.js';
import { SimulatedAgents } from './simulated-agents.service.js';

/**
 * The simulated agents (a reroute agent working open anomalies, a dispatch agent loading parcels
 * out for delivery). SimulatorModule imports and provides these only when the simulator is on.
 */
export const SIMULATED_AGENT_IMPORTS: NonNullable<ModuleMetadata['imports']> = [AgentsModule, AnomaliesModule];
export const SIMULATED_AGENT_PROVIDERS: Provider[] = [SimulatedAgents];
