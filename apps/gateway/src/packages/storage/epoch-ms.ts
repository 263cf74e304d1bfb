import type { ValueTransformer } from 'typeorm';

/**
 * bigint columns come back as numbers from SQLite but as strings from PostgreSQL (pg keeps 64-bit
 * precision); epoch milliseconds fit a JS number exactly, so both become numbers here.
 */
export const epochMs: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};

export const iso = (ms: number): string => new Date(ms).toISOString();
