import { haversineKm } from './geo.js';

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
