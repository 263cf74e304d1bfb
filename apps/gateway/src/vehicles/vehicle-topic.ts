import type { Topic } from '@tracklight/protocol';

export type VehicleTopic = Extract<Topic, `vehicle:${string}`>;

export function vehicleTopic(vehicleId: string): VehicleTopic {
  return `vehicle:${vehicleId}`;
}
