// `npm run test:unit|test:e2e -- [paths] [jest flags]`: runs one Jest project, with the caller's
// arguments placed BEFORE --selectProjects. Jest reads --selectProjects as a list, so anything
// after it (a spec path) would be taken for another project name and every suite would run.
import { spawnSync } from 'node:child_process';

const [project, ...rest] = process.argv.slice(2);
if (!project) {
  process.stderr.write('usage: node scripts/jest-project.mjs <unit|e2e|dom> [spec paths] [jest flags]\n');
  process.exit(2);
}
const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() };
const run = spawnSync('npx', ['jest', ...rest, '--selectProjects', project], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
