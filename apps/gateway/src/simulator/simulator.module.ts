import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { PackagesModule } from '../packages/packages.module.js';
import { SIMULATED_AGENT_IMPORTS, SIMULATED_AGENT_PROVIDERS } from './agents/index.js';
import { SIMULATOR_SETTINGS, simulatorSettings } from './simulator-settings.js';
import { SimulatorService } from './simulator.service.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { SimulatedVans } from './vans.js';

/** The demo traffic generator: present only when config.simulator is on (SIMULATOR=on, `npm start`). */
@Module({})
export class SimulatorModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.simulator) return { module: SimulatorModule };
    return {
      module: SimulatorModule,
      imports: [PackagesModule, VehiclesModule, ...SIMULATED_AGENT_IMPORTS],
      providers: [
        { provide: SIMULATOR_SETTINGS, useValue: simulatorSettings(config) },
        SimulatorService,
        ...SIMULATED_AGENT_PROVIDERS,
        SimulatedVans,
      ],
      exports: [SIMULATOR_SETTINGS, SimulatorService],
    };
  }
}
