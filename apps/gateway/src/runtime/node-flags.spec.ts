import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The gateway's V8 flags can only be given on node's command line (V8 aborts if its collector
 * threads are switched off at runtime), so every command that starts it must carry the same list.
 */
const root = process.cwd();
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const flags = JSON.parse(read('apps/gateway/node-flags.json')) as string[];

describe('node flags of the gateway', () => {
  it('are options this node starts with (an unknown one makes it exit with "bad option")', () => {
    expect(flags.length).toBeGreaterThan(0);
    const run = spawnSync(process.execPath, [...flags, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('are passed by start:prod and the Dockerfile, in that order, right before main.js', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:prod']).toBe(['node', ...flags, 'dist/apps/gateway/src/main.js'].join(' '));
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...flags, 'dist/apps/gateway/src/main.js']);
  });

  it('are read by npm start and the benchmark', () => {
    expect(read('scripts/start.mjs')).toContain("'../apps/gateway/node-flags.json'");
    expect(read('bench/run.mjs')).toContain("'apps/gateway/node-flags.json'");
  });
});
