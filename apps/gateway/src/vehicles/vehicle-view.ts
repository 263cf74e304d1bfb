import type { VehiclePosition } from '@tracklight/protocol';
import type { VehicleEntity } from './storage/vehicle.entity.js';

/** GET /vehicles/:vehicleId, the `vehicle:{vehicleId}` snapshot and the event: one shape for all. */
export function toVehiclePosition(row: VehicleEntity): VehiclePosition {
  const position: VehiclePosition = {
    vehicleId: row.id,
    latitude: row.latitude,
    longitude: row.longitude,
    reportedAt: new Date(row.reportedAtMs).toISOString(),
  };
  if (row.speedKmh !== null) position.speedKmh = row.speedKmh;
  if (row.heading !== null) position.heading = row.heading;
  return position;
}
