import { CLIENT_FRAME_LIMITS } from './client-frame-limits.js';
import { STATIC_TOPICS, isTopic } from './topics.js';
import { CLIENT_FRAME_SCHEMAS } from './schema/client-frames.schema.js';
import { validateSchema } from './schema/validate.js';

const KEY = 'k'.repeat(100);

describe('CLIENT_FRAME_LIMITS.topicLength', () => {
  it('fits the longest valid topic of every family', () => {
    const longest = [...STATIC_TOPICS, `package:${KEY}`, `schedule:${KEY}`];
    for (const topic of longest) {
      expect(isTopic(topic)).toBe(true);
      expect(topic.length).toBeLessThanOrEqual(CLIENT_FRAME_LIMITS.topicLength);
    }
    expect(isTopic(`schedule:${KEY}k`)).toBe(false);
  });

  it('is the bound the JSON Schema enforces', () => {
    const frame = (topic: string) => ({ type: 'subscribe', data: { topics: [topic] } });
    const at = 'x'.repeat(CLIENT_FRAME_LIMITS.topicLength);
    expect(validateSchema(CLIENT_FRAME_SCHEMAS.subscribe, frame(at))).toEqual([]);
    expect(validateSchema(CLIENT_FRAME_SCHEMAS.subscribe, frame(`${at}x`))).not.toEqual([]);
  });
});
