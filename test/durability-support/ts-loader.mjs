// Node ESM loader hooks: TypeScript through @swc/core with the repository's .swcrc (legacy
// decorators and metadata, as in Jest), `.js` specifiers mapped to their `.ts` sources, and the
// @tracklight/* path aliases of tsconfig.json.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from '@swc/core';

const root = new URL('../../', import.meta.url);
const swcrc = JSON.parse(readFileSync(new URL('.swcrc', root), 'utf8'));
const aliases = {
  '@tracklight/protocol': 'libs/protocol/src/index.ts',
  '@tracklight/protocol/validation': 'libs/protocol/src/validation/index.ts',
};

export async function resolve(specifier, context, next) {
  if (aliases[specifier]) return { url: new URL(aliases[specifier], root).href, shortCircuit: true };
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && specifier.endsWith('.js') && context.parentURL) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const filename = fileURLToPath(url);
  const { code } = await transform(readFileSync(filename, 'utf8'), {
    ...swcrc,
    swcrc: false,
    filename,
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
