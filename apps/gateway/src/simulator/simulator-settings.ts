import type { AppConfig } from '../config/app-config.js';

export interface SimulatorSettings {
  /** Actions (a creation or a scan) per second. */
  ratePerSecond: number;
  /** Same seed, same traffic: SIMULATOR_SEED; random per start otherwise, so restarts do not collide. */
  seed: number;
  /** Live simulated packages at most (SIMULATOR_MAX_PACKAGES). */
  maxPackages: number;
}

export const SIMULATOR_SETTINGS = Symbol('SIMULATOR_SETTINGS');

/**
 * The rate, seed and cap come from AppConfig (SIMULATOR_RATE, SIMULATOR_SEED,
 * SIMULATOR_MAX_PACKAGES). The default cap lets each package be scanned every ~15 s at the
 * configured rate, far inside the stuck threshold, so only deliberate stalls look stuck.
 */
export function simulatorSettings(config: AppConfig): SimulatorSettings {
  const ratePerSecond = config.simulatorRate > 0 ? Math.min(config.simulatorRate, 1000) : 2;
  return {
    ratePerSecond,
    seed: config.simulatorSeed ?? Math.floor(Math.random() * 2 ** 32),
    maxPackages: Math.max(1, config.simulatorMaxPackages ?? Math.min(200, Math.max(5, Math.round(ratePerSecond * 15)))),
  };
}
