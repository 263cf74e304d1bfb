import { CLIENT_FRAME_LIMITS } from './client-frame-limits.js';
import { TOPICS, isTopic, type TopicFamily } from './topics.js';
import { CLIENT_FRAME_SCHEMAS } from './schema/client-frames.schema.js';
import { validateSchema } from './schema/validate.js';

/** The longest key topics.ts accepts; the spec proves one more character is refused. */
const KEY = 'k'.repeat(100);

// Every family the registry declares, so a family added there is measured here without an edit.
const FAMILIES = Object.keys(TOPICS) as TopicFamily[];
const KEYED = FAMILIES.filter((f) => f.endsWith(':'));
const longestOf = (family: TopicFamily): string => (family.endsWith(':') ? `${family}${KEY}` : family);

describe('CLIENT_FRAME_LIMITS.topicLength', () => {
  it('covers static and keyed families alike', () => {
    expect(KEYED.length).toBeGreaterThan(0);
    expect(KEYED.length).toBeLessThan(FAMILIES.length);
  });

  it.each(FAMILIES)('fits the longest valid topic of %s', (family) => {
    const topic = longestOf(family);
    expect(isTopic(topic)).toBe(true);
    expect(topic.length).toBeLessThanOrEqual(CLIENT_FRAME_LIMITS.topicLength);
  });

  it.each(KEYED)('%s refuses a key one character longer than the one measured', (family) => {
    expect(isTopic(`${family}${KEY}k`)).toBe(false);
  });

  it('is the bound the JSON Schema enforces', () => {
    const frame = (topic: string) => ({ type: 'subscribe', data: { topics: [topic] } });
    const at = 'x'.repeat(CLIENT_FRAME_LIMITS.topicLength);
    expect(validateSchema(CLIENT_FRAME_SCHEMAS.subscribe, frame(at))).toEqual([]);
    expect(validateSchema(CLIENT_FRAME_SCHEMAS.subscribe, frame(`${at}x`))).not.toEqual([]);
  });
});
