import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const gateway = process.env.TRACKLIGHT_URL ?? 'http://localhost:3000';

// The dashboard compiles the libraries from source; @tracklight/protocol/validation (class-validator
// decorators) is deliberately not aliased, so importing it fails the build.
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@tracklight\/protocol$/, replacement: here('../../libs/protocol/src/index.ts') },
      { find: /^@tracklight\/client$/, replacement: here('../../libs/client/src/index.ts') },
      { find: /^@tracklight\/react$/, replacement: here('../../libs/react/src/index.ts') },
    ],
  },
  build: { outDir: here('dist'), emptyOutDir: true, sourcemap: true },
  server: {
    // `npx vite --config apps/dashboard/vite.config.ts` next to a running gateway.
    proxy: {
      '/ws': { target: gateway.replace(/^http/, 'ws'), ws: true },
      '^/(auth|packages|anomalies|metrics|agents|schedules|notifications|health)(/|$)': gateway,
    },
  },
});
