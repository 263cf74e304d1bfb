import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startApp, type TestApp } from '../support/app.js';
import { packageBody, postPackage, postScan, rest, trackingNumbers } from '../support/http.js';
import { ops, viewer } from '../support/tokens.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = 'docs/clients/examples/follow_package.py';
const available = spawnSync(PYTHON, ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0;
if (!available && process.env.CI !== 'true') {
  // Debian's python3-websockets: CI installs it (.ci/run), so there this suite always runs.
  console.warn(
    `python-client.e2e-spec: skipped, ${PYTHON} cannot import websockets (apt-get install python3-websockets)`,
  );
}
const describeIfPython = available || process.env.CI === 'true' ? describe : describe.skip;
const tn = trackingNumbers('PY');

/** Runs the documented example; hands out its stdout lines as they come. */
function run(args: string[]) {
  const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let wake: (() => void) | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    wake?.();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let taken = 0;
  const next = async (timeoutMs = 10_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (taken >= lines.length) {
      if (Date.now() > deadline) throw new Error(`no line from python; stderr: ${stderr}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 100);
      });
    }
    return lines[taken++];
  };
  return { child, next, exited, stderr: () => stderr };
}

describeIfPython('a Python websockets client (docs/clients/python-websockets.md)', () => {
  let t: TestApp;
  const call = rest(() => t);

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('follows a package: connected, snapshot, pong to its text ping, then live updates', async () => {
    const trackingNumber = tn();
    expect((await postPackage(call, ops(), packageBody(trackingNumber))).status).toBe(201);
    const py = run([t.ws, trackingNumber, viewer(), '2']);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push(await py.next());
    expect(seen).toContain('pong');
    const frames = seen
      .filter((l) => l !== 'pong')
      .map((l) => JSON.parse(l) as { type: string; data: { status?: string } });
    expect(frames.map((f) => f.type)).toEqual(['connected', 'snapshot']);
    expect(frames[1].data.status).toBe('created');
    for (const status of ['picked_up', 'in_transit']) {
      await postScan(call, trackingNumber, ops(), { status, location: 'Lyon', latitude: 45.76, longitude: 4.84 });
    }
    expect(JSON.parse(await py.next())).toMatchObject({ type: 'package_update', data: { status: 'picked_up' } });
    expect(JSON.parse(await py.next())).toMatchObject({ type: 'package_update', data: { status: 'in_transit' } });
    expect(await py.exited).toBe(0);
  });

  it('an unknown package: the error frame, then close 4404', async () => {
    const py = run([t.ws, tn('NOPE'), viewer()]);
    const lines = [await py.next(), await py.next()].filter((l) => l !== 'pong');
    expect(JSON.parse(lines[0])).toMatchObject({ type: 'error', data: { code: 'UNKNOWN_TOPIC' } });
    const closed = lines[1] ?? (await py.next());
    expect(JSON.parse(closed)).toEqual({ closed: 4404 });
    expect(await py.exited).toBe(2);
  });
});
