import { parseClientFrame } from './parse-client-frame.js';

const ok = (text: string) => {
  const r = parseClientFrame(text);
  if (!r.ok) throw new Error(`expected a frame, got ${r.code}: ${r.message}`);
  return r.frame;
};
const fail = (value: unknown) => {
  const r = parseClientFrame(typeof value === 'string' ? value : JSON.stringify(value));
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.frame)}`);
  return r;
};

describe('parseClientFrame', () => {
  describe('INVALID_JSON', () => {
    it.each(['', 'not json', '{"type":', '[1]', '"ping"', '42', 'null', 'true'])('%j', (text) => {
      expect(fail(text)).toMatchObject({ code: 'INVALID_JSON', message: expect.any(String) });
      expect(fail(text).ref).toBeUndefined();
    });
  });

  describe('UNKNOWN_TYPE', () => {
    it('echoes the ref and names the type', () => {
      expect(fail({ type: 'dance', ref: 'r1' })).toMatchObject({
        code: 'UNKNOWN_TYPE',
        ref: 'r1',
        message: expect.stringContaining('dance'),
      });
    });

    it('does not echo an overlong type in full', () => {
      expect(fail({ type: 'x'.repeat(500) }).message.length).toBeLessThan(120);
    });
  });

  describe('INVALID_MESSAGE', () => {
    it.each([
      ['type missing', { ref: 'r' }],
      ['type not a string', { type: 5, ref: 'r' }],
      ['extra frame field', { type: 'ping', ref: 'r', extra: 1 }],
      ['subscribe without data', { type: 'subscribe', ref: 'r' }],
      ['subscribe data an array', { type: 'subscribe', ref: 'r', data: [] }],
      ['topics missing', { type: 'subscribe', ref: 'r', data: {} }],
      ['topics empty', { type: 'subscribe', ref: 'r', data: { topics: [] } }],
      ['topics over 50', { type: 'subscribe', ref: 'r', data: { topics: Array(51).fill('anomalies') } }],
      ['topic not a string', { type: 'subscribe', ref: 'r', data: { topics: [null] } }],
      ['topic too long', { type: 'subscribe', ref: 'r', data: { topics: ['x'.repeat(201)] } }],
      ['since not a string', { type: 'subscribe', ref: 'r', data: { topics: ['anomalies'], since: 5 } }],
      ['since empty', { type: 'subscribe', ref: 'r', data: { topics: ['anomalies'], since: '' } }],
      ['unknown data key', { type: 'subscribe', ref: 'r', data: { topics: ['anomalies'], x: 1 } }],
      ['filter not object', { type: 'subscribe', ref: 'r', data: { topics: ['anomalies'], filter: 'x' } }],
      ['unknown filter key', { type: 'subscribe', ref: 'r', data: { topics: ['anomalies'], filter: { x: 1 } } }],
      ['bbox not 4', { type: 'subscribe', ref: 'r', data: { topics: ['map_updates'], filter: { bbox: [1, 2] } } }],
      [
        'bbox out of range',
        { type: 'subscribe', ref: 'r', data: { topics: ['map_updates'], filter: { bbox: [0, 0, 181, 1] } } },
      ],
      [
        'bbox not numbers',
        { type: 'subscribe', ref: 'r', data: { topics: ['map_updates'], filter: { bbox: ['0', 0, 1, 1] } } },
      ],
      ['bad severity', { type: 'subscribe', ref: 'r', data: { topics: ['anomalies'], filter: { minSeverity: 'x' } } }],
      [
        'empty carrier',
        { type: 'subscribe', ref: 'r', data: { topics: ['package_updates'], filter: { carrier: '' } } },
      ],
      [
        'unknown status',
        { type: 'subscribe', ref: 'r', data: { topics: ['package_updates'], filter: { status: ['lost'] } } },
      ],
      ['status empty', { type: 'subscribe', ref: 'r', data: { topics: ['package_updates'], filter: { status: [] } } }],
      ['unsubscribe without topics', { type: 'unsubscribe', ref: 'r', data: {} }],
      ['unsubscribe extra key', { type: 'unsubscribe', ref: 'r', data: { topics: ['a'], since: '1-0' } }],
      ['auth without data', { type: 'auth', ref: 'r' }],
      ['auth token not a string', { type: 'auth', ref: 'r', data: { token: 1 } }],
      ['auth token empty', { type: 'auth', ref: 'r', data: { token: '' } }],
      ['auth token too long', { type: 'auth', ref: 'r', data: { token: 'x'.repeat(8193) } }],
      ['auth extra key', { type: 'auth', ref: 'r', data: { token: 't', sub: 'x' } }],
    ])('%s: echoes the ref', (_name, frame) => {
      expect(fail(frame)).toMatchObject({ code: 'INVALID_MESSAGE', ref: 'r', message: expect.any(String) });
    });

    it.each([
      ['ref not a string', { type: 'ping', ref: 5 }],
      ['ref over 64', { type: 'ping', ref: 'x'.repeat(65) }],
    ])('%s: refused without a ref', (_name, frame) => {
      const r = fail(frame);
      expect(r.code).toBe('INVALID_MESSAGE');
      expect(r.ref).toBeUndefined();
    });

    it('names the failing field', () => {
      expect(fail({ type: 'subscribe', data: { topics: [] } }).message).toContain('data.topics');
      expect(
        fail({ type: 'subscribe', data: { topics: ['anomalies'], filter: { minSeverity: 'x' } } }).message,
      ).toContain('data.filter.minSeverity');
    });
  });

  describe('__proto__ keys', () => {
    it('a __proto__ key in data is an unknown field, and nothing is polluted', () => {
      const r = fail('{"type":"subscribe","data":{"topics":["anomalies"],"__proto__":{"polluted":true}}}');
      expect(r.code).toBe('INVALID_MESSAGE');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a __proto__ key at the top level or in a filter is refused', () => {
      expect(fail('{"type":"ping","__proto__":{"x":1}}').code).toBe('INVALID_MESSAGE');
      expect(
        fail('{"type":"subscribe","data":{"topics":["anomalies"],"filter":{"__proto__":{"bbox":[0,0,1,1]}}}}').code,
      ).toBe('INVALID_MESSAGE');
    });
  });

  describe('valid frames', () => {
    it('ping with or without data and ref', () => {
      expect(ok('{"type":"ping"}')).toEqual({ type: 'ping', data: undefined });
      expect(ok('{"type":"ping","ref":"a","data":[1]}')).toEqual({ type: 'ping', ref: 'a', data: [1] });
    });

    it('subscribe with since and every filter key', () => {
      const frame = ok(
        JSON.stringify({
          type: 'subscribe',
          ref: 'x'.repeat(64),
          data: {
            topics: ['map_updates', 'anomalies', 'package_updates'],
            since: '1700000000000-0',
            filter: { bbox: [170, -10, -170, 10], minSeverity: 'high', carrier: 'UPS', status: ['delivered'] },
          },
        }),
      );
      expect(frame).toEqual({
        type: 'subscribe',
        ref: 'x'.repeat(64),
        data: {
          topics: ['map_updates', 'anomalies', 'package_updates'],
          since: '1700000000000-0',
          filter: { bbox: [170, -10, -170, 10], minSeverity: 'high', carrier: 'UPS', status: ['delivered'] },
        },
      });
    });

    it('the filter comes back as a plain object', () => {
      const frame = ok('{"type":"subscribe","data":{"topics":["anomalies"],"filter":{"minSeverity":"low"}}}');
      expect(frame.type === 'subscribe' && Object.getPrototypeOf(frame.data.filter)).toBe(Object.prototype);
    });

    it('unsubscribe and auth', () => {
      expect(ok('{"type":"unsubscribe","data":{"topics":["a"]}}')).toEqual({
        type: 'unsubscribe',
        data: { topics: ['a'] },
      });
      expect(ok('{"type":"auth","ref":"r","data":{"token":"t.t.t"}}')).toEqual({
        type: 'auth',
        ref: 'r',
        data: { token: 't.t.t' },
      });
    });
  });
});
