import type { PackageStatus } from '@tracklight/protocol';
import type { PackageView, ScanView } from '../../packages/package-view.js';

/** Plain builders for specs (no test framework here, so the file also compiles in the app build). */
export const CITIES = {
  newYork: { name: 'New York', latitude: 40.7128, longitude: -74.006 },
  philadelphia: { name: 'Philadelphia', latitude: 39.9526, longitude: -75.1652 },
  baltimore: { name: 'Baltimore', latitude: 39.2904, longitude: -76.6122 },
  washington: { name: 'Washington', latitude: 38.9072, longitude: -77.0369 },
  boston: { name: 'Boston', latitude: 42.3601, longitude: -71.0589 },
  chicago: { name: 'Chicago', latitude: 41.8781, longitude: -87.6298 },
  losAngeles: { name: 'Los Angeles', latitude: 34.0522, longitude: -118.2437 },
  london: { name: 'London', latitude: 51.5074, longitude: -0.1278 },
} as const;

export type City = keyof typeof CITIES;

export const T0 = Date.parse('2026-03-01T08:00:00.000Z');
export const at = (hoursAfterT0: number): string => new Date(T0 + hoursAfterT0 * 3_600_000).toISOString();

export function scanAt(city: City, hoursAfterT0: number, status: PackageStatus = 'in_transit'): ScanView {
  const { name, latitude, longitude } = CITIES[city];
  return { status, location: name, latitude, longitude, scannedAt: at(hoursAfterT0) };
}

/** New York to Washington, due 48 h after T0, last scanned in_transit at Philadelphia at T0+2h. */
export function packageView(overrides: Partial<PackageView> = {}): PackageView {
  return {
    packageId: 'pkg-1',
    trackingNumber: 'TL0001',
    status: 'in_transit',
    location: 'Philadelphia',
    latitude: CITIES.philadelphia.latitude,
    longitude: CITIES.philadelphia.longitude,
    carrier: 'UPS',
    estimatedDelivery: at(48),
    lastScanTime: at(2),
    version: 2,
    origin: { ...CITIES.newYork },
    destination: { ...CITIES.washington },
    createdAt: at(0),
    ...overrides,
  };
}
