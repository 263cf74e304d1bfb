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

describe('loadConfig: the simulator and dashboard knobs', () => {
  it('leaves them unset by default and reads them when given', () => {
    expect(loadConfig(base)).toMatchObject({
      simulatorSeed: undefined,
      simulatorMaxPackages: undefined,
      dashboardDir: undefined,
    });
    const config = loadConfig({ ...base, SIMULATOR_SEED: '0', SIMULATOR_MAX_PACKAGES: '12', DASHBOARD_DIR: '/srv/ui' });
    expect(config).toMatchObject({ simulatorSeed: 0, simulatorMaxPackages: 12, dashboardDir: '/srv/ui' });
  });

  it.each(['SIMULATOR_SEED', 'SIMULATOR_MAX_PACKAGES'])('refuses a negative or fractional %s, naming it', (name) => {
    for (const raw of ['-1', '2.5', 'many']) expect(() => loadConfig({ ...base, [name]: raw })).toThrow(name);
  });
});
