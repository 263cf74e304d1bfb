import fc from 'fast-check';
import { startApp, type TestApp } from '../support/app.js';
import { ops, viewer } from '../support/tokens.js';

/**
 * Property-based fuzzing of every REST body: whatever arrives, the answer is a JSON client error
 * (400 for a bad body) or the route's normal answer, never a 5xx; nothing reaches Object.prototype.
 * Seeded (FUZZ_SEED replays a run) and bounded by count and time.
 */
// CI (CI=true) runs a fixed seed unless FUZZ_SEED says otherwise; local runs explore a new one each time.
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI === 'true'
    ? 20261122
    : Date.now() % 2 ** 31;
const RUNS = Math.max(30, Math.floor(Number(process.env.FUZZ_RUNS ?? 1500) / 10));
const settings = { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false };
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('\ud800', 'a\udfff', '\u0000', '\u202e', '𝕋', '__proto__', 'constructor', '', ' ', '1e400'),
);
const hostileKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), nastyString);

/** JSON text (not values): `__proto__` stays an own key, 1e400 and deep nesting survive. */
const hostileJson: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '0', '-0', '1e400', '-1e400', '1.5', '"2026-13-45T99:99:99Z"', '[]', '{}'),
    fc.double().map((n) => JSON.stringify(n)),
    fc.integer().map(String),
    nastyString.map((s) => JSON.stringify(s)),
    fc.integer({ min: 1, max: 3000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** A path segment: every UTF-8 byte percent-encoded (lone surrogates included), or raw malformed escapes. */
const segment = fc.oneof(
  nastyString.map((v) => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  fc.constantFrom('%', '%FF', '%E0%A4%A', '%ED%A0%80', '%00', '..', '%2e%2e', '%2F'),
);

const MARK = '\u0000fuzz-mark\u0000';

/** Every path to a value in `value`, objects and arrays included. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

/** `valid` with one value replaced by hostile JSON text, or a hostile key added, or removed. */
function mutations(valid: object): fc.Arbitrary<string> {
  const all = paths(valid);
  const replaced = fc.tuple(fc.constantFrom(...all), hostileJson).map(([path, text]) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    let node = copy;
    for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
    node[path[path.length - 1]] = MARK;
    return JSON.stringify(copy).replace(JSON.stringify(MARK), text);
  });
  const removed = fc.constantFrom(...all).map((path) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    let node = copy;
    for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
    delete node[path[path.length - 1]];
    return JSON.stringify(copy);
  });
  const extraKey = fc
    .tuple(hostileKey, hostileJson)
    .map(([k, v]) => `{${JSON.stringify(k)}:${v},${JSON.stringify(valid).slice(1)}`);
  return fc.oneof(replaced, removed, extraKey);
}

/** Whole bodies that are not the route's shape at all (including non-JSON text). */
const junk = fc.oneof(hostileJson, fc.string({ unit: 'binary', maxLength: 200 }));

interface Route {
  name: string;
  path: fc.Arbitrary<string>;
  validPath: string;
  token: () => string | undefined;
  valid: object;
}

const iso = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
const ROUTES: Route[] = [
  {
    name: 'POST /packages',
    path: fc.constant('/packages'),
    validPath: '/packages',
    token: () => ops(),
    valid: {
      trackingNumber: 'TNFUZZ0001',
      carrier: 'DHL',
      origin: { name: 'Lyon', latitude: 45.76, longitude: 4.84 },
      destination: { name: 'Paris', latitude: 48.86, longitude: 2.35 },
      estimatedDelivery: iso(2),
    },
  },
  {
    name: 'POST /packages/:trackingNumber/scans',
    path: fc.oneof(
      fc.constant('/packages/TNFUZZBASE/scans'),
      segment.map((tn) => `/packages/${tn}/scans`),
    ),
    validPath: '/packages/TNFUZZBASE/scans',
    token: () => ops(),
    valid: { status: 'in_transit', location: 'Dijon', latitude: 47.32, longitude: 5.04 },
  },
  {
    name: 'POST /schedules',
    path: fc.constant('/schedules'),
    validPath: '/schedules',
    token: () => viewer('fuzz-owner'),
    valid: {
      name: 'fuzz',
      depot: { latitude: 45.76, longitude: 4.84 },
      vehicles: 1,
      stops: [
        { id: 's1', latitude: 45.8, longitude: 4.9, serviceMinutes: 5 },
        { id: 's2', latitude: 45.7, longitude: 4.8, windowStart: 60, windowEnd: 600 },
      ],
      strategy: 'savings',
    },
  },
  {
    name: 'POST /agents/:agentId/heartbeat',
    path: fc.oneof(
      fc.constant('/agents/agent-1/heartbeat'),
      segment.map((id) => `/agents/${id}/heartbeat`),
    ),
    validPath: '/agents/agent-1/heartbeat',
    token: () => ops(),
    valid: { name: 'Router', state: 'busy', action: 'planning' },
  },
  {
    name: 'POST /auth/dev-login',
    path: fc.constant('/auth/dev-login'),
    validPath: '/auth/dev-login',
    token: () => undefined,
    valid: { sub: 'fuzz-user', roles: ['viewer'] },
  },
];

/** The answers a fuzzed request may get: the route's own successes and client errors. */
const ALLOWED = new Set([200, 201, 202, 400, 404, 409, 413]);

describe(`fuzz: REST bodies (seed ${SEED})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    console.log(`fuzz-rest: FUZZ_SEED=${SEED} (replay with FUZZ_SEED=${SEED})`);
    t = await startApp({ SCHEDULE_TIMEOUT_MS: '500' });
    const base = await fetch(`${t.http}/packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ops()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ROUTES[0].valid, trackingNumber: 'TNFUZZBASE' }),
    });
    expect(base.status).toBe(201);
  });
  afterAll(async () => {
    await t.close();
  });

  async function send(route: Route, path: string, body: string, contentType = 'application/json') {
    const jwt = route.token();
    const res = await fetch(`${t.http}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(jwt ? { authorization: `Bearer ${jwt}` } : {}) },
      body,
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text };
  }

  it.each(ROUTES.map((r) => [r.name, r] as const))('%s: the valid body is accepted', async (_name, route) => {
    const { status } = await send(route, route.validPath, JSON.stringify(route.valid));
    expect([200, 201, 202]).toContain(status);
  });

  it.each(ROUTES.map((r) => [r.name, r] as const))(
    '%s: junk bodies are 400, never 5xx',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(
          route.path,
          junk,
          fc.constantFrom('application/json', 'text/plain'),
          async (path, body, ct) => {
            const res = await send(route, path, body, ct);
            expect(res.status).toBeLessThan(500);
            expect([400, 404]).toContain(res.status);
            expect(res.type).toMatch(/application\/json/);
            expect(JSON.parse(res.text)).toMatchObject({ statusCode: res.status });
          },
        ),
        settings,
      );
    },
    60_000,
  );

  it.each(ROUTES.map((r) => [r.name, r] as const))(
    '%s: mutated valid bodies get the route answer or a 4xx with the failing fields, never 5xx',
    async (_name, route) => {
      await fc.assert(
        fc.asyncProperty(route.path, mutations(route.valid), async (path, body) => {
          const res = await send(route, path, body);
          expect(ALLOWED).toContain(res.status);
          expect(res.type).toMatch(/application\/json/);
          const answer = JSON.parse(res.text) as { statusCode?: number; message?: unknown };
          if (res.status === 400) {
            expect(answer.statusCode).toBe(400);
            expect(answer.message).toBeDefined();
          }
        }),
        settings,
      );
    },
    60_000,
  );

  it('leaves Object.prototype untouched and the server healthy', async () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
    const probe = {} as Record<string, unknown>;
    for (const key of ['polluted', 'isAdmin', 'roles', 'status']) expect(probe[key]).toBeUndefined();
    expect((await fetch(`${t.http}/health`)).status).toBe(200);
  });
});
