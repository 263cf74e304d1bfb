import { Injectable, Logger } from '@nestjs/common';
import type { VehiclePosition } from '@tracklight/protocol';
import { EventBus } from '../bus/event-bus.js';
import { UnpublishedWriteError } from '../bus/unpublished-write.error.js';
import { VehicleEntity } from './storage/vehicle.entity.js';
import { VehicleStore } from './storage/vehicle.store.js';
import { toVehiclePosition } from './vehicle-view.js';
import { vehicleTopic } from './vehicle-topic.js';

export interface PositionInput {
  latitude: number;
  longitude: number;
  speedKmh?: number;
  heading?: number;
}

/**
 * Vehicles report positions (REST, or in-process for the simulated vans: the same call). Each
 * report replaces the stored latest position and is published on `vehicle_positions` (the fleet
 * map) and `vehicle:{vehicleId}` (one vehicle). A report whose events the bus refuses rejects
 * with UnpublishedWriteError (503, stored), as every other write does.
 */
@Injectable()
export class VehiclesService {
  private readonly log = new Logger(VehiclesService.name);

  constructor(
    private readonly store: VehicleStore,
    private readonly bus: EventBus,
  ) {}

  async report(vehicleId: string, input: PositionInput, now = Date.now()): Promise<VehiclePosition> {
    const row = Object.assign(new VehicleEntity(), {
      id: vehicleId,
      latitude: input.latitude,
      longitude: input.longitude,
      speedKmh: input.speedKmh ?? null,
      heading: input.heading ?? null,
      reportedAtMs: now,
    } satisfies VehicleEntity);
    await this.store.save(row);
    const position = toVehiclePosition(row);
    try {
      await this.bus.publish('vehicle_positions', 'vehicle_position', position);
      await this.bus.publish(vehicleTopic(vehicleId), 'vehicle_position', position);
    } catch (err) {
      this.log.error(`vehicle ${vehicleId}: position not published: ${String(err)}`);
      throw new UnpublishedWriteError(`position of vehicle ${vehicleId}`);
    }
    return position;
  }

  async get(vehicleId: string): Promise<VehiclePosition | undefined> {
    const row = await this.store.find(vehicleId);
    return row && toVehiclePosition(row);
  }

  async list(): Promise<VehiclePosition[]> {
    return (await this.store.all()).map(toVehiclePosition);
  }
}
