import { BadRequestException } from '@nestjs/common';
import { ScanBodyPipe } from './scan-body.pipe.js';

const valid = { status: 'in_transit', location: 'Lyon', latitude: 45.76, longitude: 4.83, scanId: 's-1' };

async function fields(body: unknown): Promise<string[]> {
  try {
    await new ScanBodyPipe().transform(body);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    const response = (err as BadRequestException).getResponse() as { fields: { field: string }[] };
    return response.fields.map((f) => f.field).sort();
  }
  throw new Error('expected a 400');
}

describe('ScanBodyPipe', () => {
  it('passes a valid scan through as sent', async () => {
    expect(await new ScanBodyPipe().transform(valid)).toBe(valid);
  });

  it('answers the global pipe’s 400 for anything else, every failing field named', async () => {
    expect(await fields({ ...valid, latitude: 91, status: 'lost', extra: 1 })).toEqual(['extra', 'latitude', 'status']);
    expect(await fields({})).toEqual(['latitude', 'location', 'longitude', 'status']);
    expect(await fields({ ...valid, scanId: '' })).toEqual(['scanId']);
  });

  it('agrees with the full validation at the edges: 1e-7 is refused, a null optional field is absent', async () => {
    expect(await fields({ ...valid, latitude: 1e-7 })).toEqual(['latitude']);
    expect(await new ScanBodyPipe().transform({ ...valid, scannedAt: null })).toMatchObject({ scannedAt: null });
  });
});
