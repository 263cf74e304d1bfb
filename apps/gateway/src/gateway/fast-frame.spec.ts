import fc from 'fast-check';
import { CLIENT_FRAME_LIMITS, TOPICS, type TopicFamily } from '@tracklight/protocol';
import { parseClientFrame } from '@tracklight/protocol/validation';
import { parseFrame } from './fast-frame.js';

// Every declared family, keyed ones with a short and a longest key: a new family is fuzzed too.
const declared = (Object.keys(TOPICS) as TopicFamily[]).flatMap((f) =>
  f.endsWith(':') ? [`${f}TN1`, `${f}${'k'.repeat(100)}`] : [f],
);
const topic = fc.oneof(
  fc.constantFrom(
    ...declared,
    'nope',
    '',
    'x'.repeat(CLIENT_FRAME_LIMITS.topicLength),
    'x'.repeat(CLIENT_FRAME_LIMITS.topicLength + 1),
    'x'.repeat(201),
  ),
  fc.string({ maxLength: CLIENT_FRAME_LIMITS.topicLength + 10 }),
);
const value = fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(topic));
const data = fc.oneof(
  fc.record(
    {
      topics: fc.oneof(fc.array(topic, { maxLength: 55 }), value),
      since: value,
      filter: fc.constant({ minSeverity: 'high' }),
    },
    { requiredKeys: [] },
  ),
  fc.record({ token: value }, { requiredKeys: [] }),
  fc.dictionary(fc.constantFrom('topics', 'since', '__proto__', 'extra', 'token'), value),
  value,
);
const frame = fc.record(
  {
    type: fc.oneof(fc.constantFrom('ping', 'subscribe', 'unsubscribe', 'auth', 'dance'), fc.integer()),
    ref: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
    data,
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);

describe('parseFrame (fast path) agrees with parseClientFrame', () => {
  it('on generated frames', () => {
    fc.assert(
      fc.property(frame, (f) => {
        const text = JSON.stringify(f);
        expect(parseFrame(text)).toEqual(parseClientFrame(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    '',
    'not json',
    '[1]',
    'null',
    '{"type":"ping"}',
    '{"type":"ping","ref":"r","data":{"a":1}}',
    '{"type":"subscribe","ref":"s","data":{"topics":["anomalies"],"since":"1-0"}}',
    '{"type":"subscribe","data":{"topics":["anomalies"],"__proto__":{"x":1}}}',
    '{"__proto__":{"type":"ping"}}',
    '{"type":"unsubscribe","data":{"topics":["a","b"]}}',
    '{"type":"auth","data":{"token":"a.b.c"}}',
    `{"type":"subscribe","data":{"topics":["${'😀'.repeat(60)}"]}}`,
    `{"type":"subscribe","data":{"topics":["${'😀'.repeat(65)}"]}}`,
    `{"type":"subscribe","data":{"topics":["${'x'.repeat(CLIENT_FRAME_LIMITS.topicLength + 1)}"]}}`,
  ])('on %s', (text) => {
    expect(parseFrame(text)).toEqual(parseClientFrame(text));
  });
});
