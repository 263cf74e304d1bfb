import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ParsedTopic, VehiclePosition } from '@tracklight/protocol';
import { SnapshotRegistry, type SnapshotProvider } from '../snapshots/snapshot-registry.js';
import { VehiclesService } from './vehicles.service.js';

/** `vehicle:{vehicleId}` snapshots: exactly what GET /vehicles/:vehicleId returns. */
@Injectable()
export class VehicleSnapshotProvider implements SnapshotProvider<'vehicle:'>, OnModuleInit {
  constructor(
    private readonly registry: SnapshotRegistry,
    private readonly vehicles: VehiclesService,
  ) {}

  onModuleInit(): void {
    this.registry.register('vehicle:', this);
  }

  snapshot(_topic: string, parsed: ParsedTopic): Promise<VehiclePosition | undefined> {
    return parsed.family === 'vehicle:' ? this.vehicles.get(parsed.key) : Promise.resolve(undefined);
  }
}
