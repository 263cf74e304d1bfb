import { HistoryTopics } from './history-topics.js';

describe('HistoryTopics', () => {
  it('gives a topic one number while any event carries it, and reuses freed numbers', () => {
    const t = new HistoryTopics();
    const a = t.retain('package:A');
    expect(t.retain('package:A')).toBe(a);
    const b = t.retain('package:B');
    expect(b).not.toBe(a);
    t.release(a);
    expect(t.wanted(new Set(['package:A']))).toBeDefined();
    t.release(a);
    expect(t.wanted(new Set(['package:A']))).toBeUndefined();
    // the freed number goes to the next new topic
    expect(t.retain('package:C')).toBe(a);
    const flags = t.wanted(new Set(['package:B', 'package:C', 'package:none']));
    expect(flags?.[b]).toBe(1);
    expect(flags?.[a]).toBe(1);
  });

  it('counts past its first table size', () => {
    const t = new HistoryTopics();
    const numbers = Array.from({ length: 1000 }, (_, i) => t.retain(`package:P${i}`));
    expect(new Set(numbers).size).toBe(1000);
    numbers.forEach((n) => t.release(n));
    expect(t.wanted(new Set(['package:P999']))).toBeUndefined();
  });
});
