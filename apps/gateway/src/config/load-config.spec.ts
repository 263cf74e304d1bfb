import { ConfigError, loadConfig } from './load-config.js';

const base = { JWT_SECRET: 'x'.repeat(40) };

describe('loadConfig: GC_HEAP_GROWING_PERCENT', () => {
  it('fixes the heap growing factor at 2 by default, and 0 leaves it to V8', () => {
    expect(loadConfig(base).gcHeapGrowingPercent).toBe(100);
    expect(loadConfig({ ...base, GC_HEAP_GROWING_PERCENT: '0' }).gcHeapGrowingPercent).toBe(0);
    expect(loadConfig({ ...base, GC_HEAP_GROWING_PERCENT: '50' }).gcHeapGrowingPercent).toBe(50);
  });

  it.each(['-1', '1.5', 'lots'])('refuses %s with the variable named', (raw) => {
    expect(() => loadConfig({ ...base, GC_HEAP_GROWING_PERCENT: raw })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, GC_HEAP_GROWING_PERCENT: raw })).toThrow(/GC_HEAP_GROWING_PERCENT/);
  });
});
