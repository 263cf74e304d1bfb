import { CLIENT_FRAME_SCHEMAS } from './client-frames.schema.js';
import { EVENT_PAYLOAD_SCHEMAS } from './events.schema.js';
import { validateSchema } from './validate.js';

describe('validateSchema', () => {
  it('accepts a valid subscribe and names what is wrong in an invalid one', () => {
    const ok = { type: 'subscribe', ref: 'r', data: { topics: ['map_updates'], filter: { bbox: [1, 2, 3, 4] } } };
    expect(validateSchema(CLIENT_FRAME_SCHEMAS.subscribe, ok)).toEqual([]);
    const bad = { type: 'subscribe', data: { topics: [], filter: { bbox: [1, 2, 3, 999] }, x: 1 } };
    expect(validateSchema(CLIENT_FRAME_SCHEMAS.subscribe, bad).map((e) => `${e.path} ${e.message}`)).toEqual([
      '$.data.topics has too few items',
      '$.data.filter.bbox[3] must be <= 180',
      '$.data has the unknown field x',
    ]);
  });

  it('event payloads may carry more fields, but not wrong ones', () => {
    const schema = EVENT_PAYLOAD_SCHEMAS.map_update;
    const base = { packageId: 'p', trackingNumber: 't', latitude: 1, longitude: 2, status: 'in_transit' };
    expect(validateSchema(schema, { ...base, extra: true })).toEqual([]);
    expect(validateSchema(schema, { ...base, status: 'lost' })).toHaveLength(1);
    expect(validateSchema(schema, { ...base, latitude: Infinity })).toHaveLength(1);
  });

  it('checks date-times, own keys only, oneOf and $ref', () => {
    expect(validateSchema({ type: 'string', format: 'date-time' }, '2026-01-01T00:00:00.000Z')).toEqual([]);
    expect(validateSchema({ type: 'string', format: 'date-time' }, '2026-13-45T99:00:00Z')).toHaveLength(1);
    const proto = JSON.parse('{"__proto__": {"a": 1}}') as unknown;
    expect(
      validateSchema({ type: 'object', properties: {}, required: [], additionalProperties: false }, proto),
    ).toHaveLength(1);
    const resolve = (ref: string) => (ref === '#/s' ? { type: 'integer' as const } : undefined);
    expect(validateSchema({ oneOf: [{ $ref: '#/s' }, { type: 'string' }] }, 3, resolve)).toEqual([]);
    expect(validateSchema({ oneOf: [{ $ref: '#/s' }, { type: 'number' }] }, 3, resolve)).toHaveLength(1);
    expect(validateSchema({ $ref: '#/missing' }, 3, resolve)[0].message).toContain('unresolved');
  });
});
