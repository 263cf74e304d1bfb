import { validateStops } from './validate-stops.js';

const stop = (over: object = {}) => ({ id: 'a', latitude: 52, longitude: 4, ...over });

describe('validateStops', () => {
  it('accepts valid stops and keeps only the known fields', () => {
    const { stops, fields } = validateStops([
      stop({ windowStart: 10, windowEnd: 20, serviceMinutes: 5 }),
      stop({ id: 'b', windowEnd: 0 }),
    ]);
    expect(fields).toEqual([]);
    expect(stops).toEqual([
      { id: 'a', latitude: 52, longitude: 4, windowStart: 10, windowEnd: 20, serviceMinutes: 5 },
      { id: 'b', latitude: 52, longitude: 4, windowEnd: 0 },
    ]);
  });

  it('names every failing field', () => {
    const { fields } = validateStops([
      stop({ latitude: 91, longitude: '4', color: 'red' }),
      'nope',
      stop({ id: '', windowStart: 30, windowEnd: 20, serviceMinutes: -1 }),
      stop({ id: 'd', windowStart: Number.NaN, windowEnd: 7 * 24 * 60 + 1 }),
    ]);
    expect(fields.map((f) => f.field)).toEqual([
      'stops.0.color',
      'stops.0.latitude',
      'stops.0.longitude',
      'stops.1',
      'stops.2.id',
      'stops.2.serviceMinutes',
      'stops.2.windowEnd',
      'stops.3.windowStart',
      'stops.3.windowEnd',
    ]);
  });

  it('refuses duplicate ids, empty and oversized lists, and non-arrays', () => {
    expect(validateStops([stop(), stop(), stop({ id: 'b' }), stop({ id: 'b' })]).fields).toEqual([
      { field: 'stops', errors: ['stop ids must be unique; repeated: a, b'] },
    ]);
    expect(validateStops([]).fields[0].errors[0]).toMatch(/1 to 5000/);
    expect(validateStops(Array.from({ length: 5001 }, (_, i) => stop({ id: `${i}` }))).fields).toHaveLength(1);
    expect(validateStops({ 0: stop() }).fields).toEqual([{ field: 'stops', errors: ['stops must be an array'] }]);
  });

  it('stops reporting after 100 failing fields', () => {
    const { fields } = validateStops(Array.from({ length: 1000 }, (_, i) => stop({ id: `${i}`, latitude: 100 })));
    expect(fields).toHaveLength(100);
  });
});
