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
