import type { AppConfig } from '../config/app-config.js';

export interface SimulatorSettings {
  /** Actions (a creation or a scan) per second. */
  ratePerSecond: number;
  /** Same seed, same traffic: SIMULATOR_SEED; random per start otherwise, so restarts do not collide. */
  seed: number;
  /** Live simulated packages at most (SIMULATOR_MAX_PACKAGES). */
  maxPackages: number;
}

/** Highest SIMULATOR_RATE: a demo of ingest at carrier scale, not a load generator. */
export const MAX_SIMULATOR_RATE = 20_000;
/** Above this rate the simulator works in rounds of many actions (see SimulatorService). */
export const ROUND_RATE = 50;
/**
 * A simulated package is scanned every 17-35 s (see Journey), so a rate of N scans per second
 * needs about 26 N packages in flight; the cap keeps room for the creations too.
 */
const PACKAGES_PER_RATE = 30;

export const SIMULATOR_SETTINGS = Symbol('SIMULATOR_SETTINGS');

/**
 * The rate, seed and cap come from AppConfig (SIMULATOR_RATE, SIMULATOR_SEED,
 * SIMULATOR_MAX_PACKAGES). At demo rates the default cap lets each package be scanned every ~15 s,
 * far inside the stuck threshold, so only deliberate stalls look stuck; at high rates it is what
 * the rate needs.
 */
export function simulatorSettings(config: AppConfig): SimulatorSettings {
  const ratePerSecond = config.simulatorRate > 0 ? Math.min(config.simulatorRate, MAX_SIMULATOR_RATE) : 2;
  const defaultCap =
    ratePerSecond > ROUND_RATE
      ? Math.round(ratePerSecond * PACKAGES_PER_RATE)
      : Math.min(200, Math.max(5, Math.round(ratePerSecond * 15)));
  return {
    ratePerSecond,
    seed: config.simulatorSeed ?? Math.floor(Math.random() * 2 ** 32),
    maxPackages: Math.max(1, config.simulatorMaxPackages ?? defaultCap),
  };
}
