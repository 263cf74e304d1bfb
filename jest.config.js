// ESM throughout: Nest 12 ships ESM only, so Jest runs with --experimental-vm-modules
// and @swc/jest compiles TypeScript with legacy decorators and their metadata.
import { readFileSync } from 'node:fs';

const swcrc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));

const common = {
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleNameMapper: {
    '^@tracklight/protocol$': '<rootDir>/libs/protocol/src/index.ts',
    '^@tracklight/protocol/validation$': '<rootDir>/libs/protocol/src/validation/index.ts',
    '^@tracklight/client$': '<rootDir>/libs/client/src/index.ts',
    '^@tracklight/react$': '<rootDir>/libs/react/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  rootDir: '.',
};

export default {
  testTimeout: 20000,
  // Every test file loads Nest and the gateway into a fresh VM context, and Node does not give a
  // context's memory back while the process lives: run in one process (Jest's default on two
  // cores) the heap grew by about 50 MB a file, past 1.3 GB a third of the way through, and late
  // files ran many times slower in GC (the browser restart test timed out in CI). A limit makes
  // Jest run files in a worker and start a fresh one once a file leaves it above this size.
  workerIdleMemoryLimit: '700MB',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/apps/gateway/src/**/*.spec.ts', '<rootDir>/libs/*/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    },
    {
      ...common,
      displayName: 'dom',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/libs/react/src/**/*.spec.tsx', '<rootDir>/apps/dashboard/src/**/*.spec.tsx'],
    },
  ],
};
