// Builds the React dashboard when it exists; the gateway serves apps/dashboard/dist.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('apps/dashboard/vite.config.ts')) {
  process.stdout.write('dashboard: no apps/dashboard/vite.config.ts, skipped\n');
  process.exit(0);
}
const run = spawnSync('npx', ['vite', 'build', '--config', 'apps/dashboard/vite.config.ts'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
