// `npm run soak:bench`: the long-running scenarios only (connection churn and stalled consumers), for
// leak hunting. Extra options go to the runner, e.g. `npm run soak:bench -- --churn-total 500000`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = join(dirname(fileURLToPath(import.meta.url)), 'run.mjs');
const r = spawnSync(process.execPath, [runner, '--only', 'S6,S7', '--no-docs', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
