import fc from 'fast-check';
import { PACKAGE_STATUSES } from '@tracklight/protocol';
import { checkScanItem, passesScanRules, scanRuleErrors } from './scan-item.js';

const anything = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.constant(null), fc.boolean());
const coordinate = (max: number) =>
  fc.oneof(
    fc.double({ min: -max - 1, max: max + 1 }),
    fc.constantFrom(max, -max, 0, -0, 1e-7, 1e21, Number.NaN, Infinity, `${max}`),
    anything,
  );
const scan = fc.record(
  {
    status: fc.oneof(fc.constantFrom(...PACKAGE_STATUSES, 'lost', ''), anything),
    location: fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('', 'x'.repeat(200), 'x'.repeat(201)), anything),
    latitude: coordinate(90),
    longitude: coordinate(180),
    scannedAt: fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-11-22T08:30:00Z', '2026-11-22 08:30:00Z', '2026-11-22', 'yesterday', undefined),
      anything,
    ),
    scanId: fc.oneof(fc.string({ minLength: 0, maxLength: 70 }), fc.constantFrom('', 'x'.repeat(64), 'x'.repeat(65))),
    extra: anything,
  },
  { requiredKeys: [] },
);

/** Valid scans with at most one field swapped for something from `scan`: the rules' edges. */
const nearlyValid = fc
  .tuple(
    fc.record(
      {
        status: fc.constantFrom(...PACKAGE_STATUSES),
        location: fc.string({ minLength: 1, maxLength: 200 }).filter((l) => l.length > 0),
        latitude: fc.integer({ min: -900_000, max: 900_000 }).map((n) => n / 10_000),
        longitude: fc.integer({ min: -1_800_000, max: 1_800_000 }).map((n) => n / 10_000),
        scannedAt: fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        scanId: fc.string({ minLength: 1, maxLength: 64 }),
      },
      { requiredKeys: ['status', 'location', 'latitude', 'longitude'] },
    ),
    scan,
    fc.constantFrom('none', 'status', 'location', 'latitude', 'longitude', 'scannedAt', 'scanId', 'extra'),
  )
  .map(([valid, other, key]) =>
    key === 'none' ? valid : { ...valid, [key]: (other as Record<string, unknown>)[key] },
  );

describe('scan item checks', () => {
  it('the quick check accepts exactly what CreateScanDto accepts', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(fc.oneof(scan, nearlyValid), (body) => {
        const valid = scanRuleErrors(body).length === 0;
        seen[valid ? 'valid' : 'invalid']++;
        expect(passesScanRules(body)).toBe(valid);
      }),
      { numRuns: 5_000 },
    );
    // Both sides of the rule were exercised, or the property proves nothing.
    expect(seen.valid).toBeGreaterThan(20);
    expect(seen.invalid).toBeGreaterThan(20);
  });

  it('checks the tracking number first, as the single route checks its path', () => {
    const bad = checkScanItem({ trackingNumber: 'no spaces', status: 'nope' });
    expect(bad).toMatchObject({ ok: false, body: { statusCode: 400, fields: [{ field: 'trackingNumber' }] } });
    const fields = checkScanItem({ trackingNumber: 'TN1', status: 'nope', latitude: 91, more: 1 });
    expect(fields.ok).toBe(false);
    if (!fields.ok) {
      const names = (fields.body as { fields: { field: string }[] }).fields.map((f) => f.field).sort();
      expect(names).toEqual(['latitude', 'location', 'longitude', 'more', 'status']);
    }
    expect(checkScanItem([1])).toMatchObject({ ok: false, body: { fields: [{ field: 'body' }] } });
    const good = { status: 'in_transit', location: 'Lyon', latitude: 45.7, longitude: 4.8, scanId: 's1' };
    expect(checkScanItem({ trackingNumber: 'TN1', ...good })).toEqual({ ok: true, trackingNumber: 'TN1', scan: good });
  });
});
