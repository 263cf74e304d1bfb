import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENTRY = 'solver.worker';
/** Source folders the worker loads, relative to apps/gateway/src: the solver and the geometry it imports. */
const FOLDERS = ['schedules/solver', 'geo'];

let compiled: Promise<URL> | undefined;

/**
 * The URL a Worker can load for the solver. From the build (dist/) that is the compiled
 * solver.worker.js next to this file. Running from sources (Jest, which compiles TypeScript only
 * inside its own module system, never inside a real worker thread), the .ts files of FOLDERS are
 * compiled once with @swc/core into a temp folder with the same layout, so relative imports between
 * them resolve, keyed by their content. @swc/core is a dev
 * dependency and is only loaded on that path.
 */
export function solverWorkerUrl(): Promise<URL> {
  const built = new URL(`./${ENTRY}.js`, import.meta.url);
  if (existsSync(built)) return Promise.resolve(built);
  compiled ??= compileSources(fileURLToPath(new URL('../../', import.meta.url)));
  return compiled;
}

async function compileSources(srcRoot: string): Promise<URL> {
  const require = createRequire(import.meta.url);
  const swc = require('@swc/core') as typeof import('@swc/core');
  const sources = FOLDERS.flatMap((folder) =>
    readdirSync(join(srcRoot, folder))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts'))
      .sort()
      .map((f) => [`${folder}/${f}`, readFileSync(join(srcRoot, folder, f), 'utf8')] as const),
  );
  const hash = createHash('sha256');
  for (const [f, src] of sources) hash.update(f).update('\0').update(src);
  const out = join(tmpdir(), `tracklight-solver-${hash.digest('hex').slice(0, 16)}`);
  for (const folder of FOLDERS) mkdirSync(join(out, folder), { recursive: true });
  writeAtomic(join(out, 'package.json'), '{"type":"module"}');
  // Async transforms run on libuv threads, so the first job does not stall the event loop.
  await Promise.all(
    sources.map(async ([f, src]) => {
      const { code } = await swc.transform(src, {
        filename: f,
        swcrc: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      });
      writeAtomic(join(out, f.replace(/\.ts$/, '.js')), code);
    }),
  );
  return pathToFileURL(join(out, FOLDERS[0], `${ENTRY}.js`));
}

/** Parallel test processes may compile the same sources: a reader never sees a half-written file. */
function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
