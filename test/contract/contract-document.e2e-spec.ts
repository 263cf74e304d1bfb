import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * docs/PROTOCOL.md is the project's own normative contract. The same text is also kept as the
 * reference checked from outside, in a `shared` folder next to the repository (CI lays one there);
 * the two must not drift. TRACKLIGHT_CONTRACT_REFERENCE names another reference file, for a
 * checkout that has none next to it.
 */
const root = resolve(import.meta.dirname, '..', '..');
const reference = process.env.TRACKLIGHT_CONTRACT_REFERENCE ?? join(root, '..', 'shared', 'PROTOCOL.md');
const ours = join(root, 'docs', 'PROTOCOL.md');
/**
 * The project's own additions (docs/extending.md) follow the reference text under this heading,
 * at the end: everything before it must be the reference, byte for byte.
 */
const EXTENSIONS = '\n## Extensions';

function referencePart(text: string): string {
  const at = text.indexOf(EXTENSIONS);
  return at < 0 ? text : text.slice(0, at);
}

describe('the contract in the repository (docs/PROTOCOL.md)', () => {
  it('is revision 2 of the wire contract', () => {
    const text = readFileSync(ours, 'utf8');
    expect(text).toMatch(/^# Tracklight wire contract/);
    expect(text).toMatch(/^Revision 2 \(/m);
  });

  it('has at most one Extensions section, the last of the document', () => {
    const text = readFileSync(ours, 'utf8');
    const at = text.indexOf(EXTENSIONS);
    if (at < 0) return;
    expect(text.indexOf(EXTENSIONS, at + 1)).toBe(-1);
    // No reference section (a `## ` heading) after it.
    expect(text.slice(at + EXTENSIONS.length).match(/^## /m)).toBeNull();
  });

  (existsSync(reference) ? it : it.skip)(`is identical to the reference up to its Extensions (${reference})`, () => {
    const a = referencePart(readFileSync(ours, 'utf8'));
    const b = readFileSync(reference, 'utf8');
    if (a === b) return;
    const al = a.split('\n');
    const bl = b.split('\n');
    const line = al.findIndex((l, i) => l !== bl[i]);
    throw new Error(
      `docs/PROTOCOL.md differs from ${reference} from line ${line + 1}:\n` +
        `  repository: ${JSON.stringify(al[line])}\n  reference:  ${JSON.stringify(bl[line])}`,
    );
  });

  it('no tracked file points outside the repository for it', () => {
    // Built from parts so that this file does not match itself.
    const outside = ['..', 'shared', ''].join('/');
    const workplace = ['', 'work', ''].join('/');
    const grep = spawnSync('git', ['grep', '-n', '-F', '-e', outside, '-e', workplace], {
      cwd: root,
      encoding: 'utf8',
    });
    // git grep: 1 = nothing found, 0 = found (the lines are the failure message).
    expect({ status: grep.status, found: grep.stdout }).toEqual({ status: 1, found: '' });
  });
});
