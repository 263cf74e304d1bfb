import type { Rng } from './random.js';

/** Carriers and the shape of their tracking numbers, so simulated parcels look like real ones. */
export interface Carrier {
  name: string;
  trackingNumber(rng: Rng): string;
  /** Recognises this carrier's numbers (the simulator adopts its own packages after a restart). */
  pattern: RegExp;
}

export const CARRIERS: readonly Carrier[] = [
  { name: 'UPS', trackingNumber: (r) => `1Z${r.alnum(6)}${r.digits(10)}`, pattern: /^1Z[0-9A-Z]{6}\d{10}$/ },
  { name: 'FedEx', trackingNumber: (r) => r.digits(12), pattern: /^\d{12}$/ },
  { name: 'DHL', trackingNumber: (r) => `JD${r.digits(18)}`, pattern: /^JD\d{18}$/ },
  { name: 'USPS', trackingNumber: (r) => `9400${r.digits(18)}`, pattern: /^9400\d{18}$/ },
  { name: 'Royal Mail', trackingNumber: (r) => `RM${r.digits(9)}GB`, pattern: /^RM\d{9}GB$/ },
  { name: 'DPD', trackingNumber: (r) => `0${r.digits(13)}`, pattern: /^0\d{13}$/ },
  { name: 'Japan Post', trackingNumber: (r) => `EJ${r.digits(9)}JP`, pattern: /^EJ\d{9}JP$/ },
];

export function isSimulatedTrackingNumber(carrier: string, trackingNumber: string): boolean {
  return CARRIERS.some((c) => c.name === carrier && c.pattern.test(trackingNumber));
}
