import { HeldTopics } from './held-topics.js';

const even = () => true;

describe('HeldTopics', () => {
  it('holds topics with their filter and live-from mark', () => {
    const held = new HeldTopics();
    held.set('a', undefined).set('b', even);
    held.setLiveFrom('a', '1-0');
    held.setLiveFrom('b', '2-0');
    expect(held.size).toBe(2);
    expect([held.has('a'), held.has('b'), held.has('c')]).toEqual([true, true, false]);
    expect([held.get('a'), held.get('b'), held.get('c')]).toEqual([undefined, even, undefined]);
    expect([held.liveFrom('a'), held.liveFrom('b'), held.liveFrom('c')]).toEqual(['1-0', '2-0', undefined]);
  });

  it('a new filter for a held topic keeps its mark', () => {
    const held = new HeldTopics();
    for (const t of ['a', 'b']) {
      held.set(t, undefined);
      held.setLiveFrom(t, `${t}-mark`);
      held.set(t, even);
    }
    expect([held.get('a'), held.liveFrom('a'), held.get('b'), held.liveFrom('b')]).toEqual([
      even,
      'a-mark',
      even,
      'b-mark',
    ]);
  });

  it('keeps subscription order across deletes, and forgets what was deleted', () => {
    const held = new HeldTopics();
    for (const t of ['a', 'b', 'c']) {
      held.set(t, undefined);
      held.setLiveFrom(t, `${t}-mark`);
    }
    expect(held.delete('a')).toBe(true);
    expect(held.delete('a')).toBe(false);
    expect(held.keys()).toEqual(['b', 'c']);
    expect(held.liveFrom('b')).toBe('b-mark');
    held.set('a', undefined);
    expect(held.keys()).toEqual(['b', 'c', 'a']);
    expect(held.liveFrom('a')).toBeUndefined();
    expect(held.delete('c')).toBe(true);
    expect(held.keys()).toEqual(['b', 'a']);
    held.clear();
    expect(held.size).toBe(0);
    expect(held.keys()).toEqual([]);
    expect(held.has('b')).toBe(false);
  });

  it('a mark for a topic not held is ignored', () => {
    const held = new HeldTopics();
    held.setLiveFrom('x', '1-0');
    held.set('x', undefined);
    expect(held.liveFrom('x')).toBeUndefined();
  });
});
