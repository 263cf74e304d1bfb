import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const gateway = process.env.TRACKLIGHT_URL ?? 'http://localhost:3000';

// The dashboard imports @tracklight/* as packages (npm workspaces) and, through the
// "@tracklight/source" export condition, compiles their TypeScript sources. Browser conditions
// only: @tracklight/protocol/validation (class-validator) is exported for "node", so importing it
// here fails the build.
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: { conditions: ['@tracklight/source', ...defaultClientConditions] },
  build: { outDir: here('dist'), emptyOutDir: true, sourcemap: true },
  server: {
    // `npx vite --config apps/dashboard/vite.config.ts` next to a running gateway.
    proxy: {
      '/ws': { target: gateway.replace(/^http/, 'ws'), ws: true },
      '^/(auth|packages|anomalies|metrics|agents|schedules|notifications|health)(/|$)': gateway,
    },
  },
});
