import { bodyShapeProblem, MAX_BODY_DEPTH } from './body-shape.interceptor.js';

describe('bodyShapeProblem', () => {
  it('accepts ordinary bodies and scalars', () => {
    for (const body of [undefined, null, 1, 'x', {}, [], { a: [{ b: { c: 1 } }] }]) {
      expect(bodyShapeProblem(body)).toBeUndefined();
    }
  });

  it(`refuses nesting past ${MAX_BODY_DEPTH} levels without recursing (100,000 levels)`, () => {
    expect(bodyShapeProblem(JSON.parse(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`))).toBeUndefined();
    const over = JSON.parse(`${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}`) as unknown;
    expect(bodyShapeProblem(over)).toMatch(/deeper than 32/);
    const huge = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    expect(bodyShapeProblem(huge)).toMatch(/deeper than 32/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key at any depth', (key) => {
    expect(bodyShapeProblem(JSON.parse(`{"x":[{"${key}":{}}]}`))).toContain(`"${key}"`);
  });
});
