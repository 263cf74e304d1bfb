import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { VehicleEntity } from './storage/vehicle.entity.js';
import { VehicleStore } from './storage/vehicle.store.js';
import { VehicleSnapshotProvider } from './vehicle-snapshot.provider.js';
import { VehiclesController } from './vehicles.controller.js';
import { VehiclesService } from './vehicles.service.js';

/**
 * Vehicle positions on `vehicle_positions` and `vehicle:{vehicleId}`: built only on the topic
 * registry (libs/protocol topic-registry.ts) and the gateway's extension seams (EventBus,
 * SnapshotRegistry). docs/extending.md walks through it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([VehicleEntity])],
  controllers: [VehiclesController],
  providers: [VehicleStore, VehiclesService, VehicleSnapshotProvider],
  exports: [VehiclesService],
})
export class VehiclesModule {}
