import { bearing, haversineKm, intermediate, travel } from './great-circle.js';

const LONDON = { latitude: 51.5074, longitude: -0.1278 };
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const TOKYO = { latitude: 35.6762, longitude: 139.6503 };
const LOS_ANGELES = { latitude: 34.0522, longitude: -118.2437 };

describe('great-circle geometry', () => {
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

describe('haversineKm', () => {
  it('is zero for the same point', () => {
    expect(haversineKm({ latitude: 40.7, longitude: -74 }, { latitude: 40.7, longitude: -74 })).toBe(0);
  });

  it('matches known city distances within 1%', () => {
    const newYork = { latitude: 40.7128, longitude: -74.006 };
    const losAngeles = { latitude: 34.0522, longitude: -118.2437 };
    const london = { latitude: 51.5074, longitude: -0.1278 };
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    expect(haversineKm(newYork, losAngeles)).toBeGreaterThan(3935 * 0.99);
    expect(haversineKm(newYork, losAngeles)).toBeLessThan(3935 * 1.01);
    expect(haversineKm(london, paris)).toBeGreaterThan(344 * 0.99);
    expect(haversineKm(london, paris)).toBeLessThan(344 * 1.01);
  });

  it('takes the short way across the antimeridian and is symmetric', () => {
    const a = { latitude: 0, longitude: 179.5 };
    const b = { latitude: 0, longitude: -179.5 };
    expect(haversineKm(a, b)).toBeCloseTo(111.2, 0);
    expect(haversineKm(b, a)).toBeCloseTo(haversineKm(a, b), 9);
  });
});
