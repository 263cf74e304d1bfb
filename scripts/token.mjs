// `npm run token -- --sub alice --roles ops`: builds the gateway when needed, then signs a token.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const entry = 'dist/apps/gateway/src/cli/token.js';
if (!existsSync(entry)) {
  const build = spawnSync('npx', ['nest', 'build', 'gateway'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const run = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
