import { bearing, haversineKm, intermediate, travel } from './geo.js';

const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const TOKYO = { latitude: 35.6762, longitude: 139.6503 };
const LOS_ANGELES = { latitude: 34.0522, longitude: -118.2437 };

describe('simulator geo', () => {
  it('measures great-circle distances', () => {
    expect(haversineKm(LONDON, NEW_YORK)).toBeCloseTo(5570, -1);
    expect(haversineKm(LONDON, LONDON)).toBe(0);
  });

  it('interpolates along the great circle, not the straight lat/lon line', () => {
    const mid = intermediate(LONDON, NEW_YORK, 0.5);
    // The great circle London–New York bulges north, well above both cities' latitudes.
    expect(mid.latitude).toBeGreaterThan(52);
    expect(haversineKm(LONDON, mid)).toBeCloseTo(haversineKm(mid, NEW_YORK), 0);
    expect(intermediate(LONDON, NEW_YORK, 0)).toEqual(
      expect.objectContaining({ latitude: expect.closeTo(LONDON.latitude, 6) }),
    );
    expect(haversineKm(intermediate(LONDON, NEW_YORK, 1), NEW_YORK)).toBeLessThan(0.001);
  });

  it('crosses the antimeridian with longitudes kept in range', () => {
    const mid = intermediate(TOKYO, LOS_ANGELES, 0.5);
    expect(Math.abs(mid.longitude)).toBeLessThanOrEqual(180);
    expect(Math.abs(mid.longitude)).toBeGreaterThan(150);
  });

  it('travels a distance on a bearing', () => {
    const north = travel(LONDON, 0, 111.2);
    expect(north.latitude).toBeCloseTo(LONDON.latitude + 1, 1);
    const b = bearing(LONDON, NEW_YORK);
    const p = travel(LONDON, b, 1000);
    expect(haversineKm(LONDON, p)).toBeCloseTo(1000, 0);
    expect(haversineKm(p, NEW_YORK)).toBeCloseTo(haversineKm(LONDON, NEW_YORK) - 1000, -1);
  });
});
