import fc from 'fast-check';
import { CLIENT_FRAME_TYPES, ErrorCode, MAX_REF_LENGTH } from '@tracklight/protocol';
import { parseClientFrame } from '@tracklight/protocol/validation';
import { ConnectionRegistry } from '../../apps/gateway/src/gateway/connection-registry.js';
import { startApp, type TestApp } from '../support/app.js';
import { ops } from '../support/tokens.js';
import { connected, type Frame, type TestClient } from '../support/ws.js';

/**
 * Property-based fuzzing of the client-frame parser and of the live dispatcher. Seeded: the seed
 * is printed, and FUZZ_SEED replays a run (fast-check also prints seed and path of a failure).
 * Bounded by numRuns and by time (interruptAfterTimeLimit), so CI time stays predictable.
 */
// CI (CI=true) runs a fixed seed unless FUZZ_SEED says otherwise; local runs explore a new one each time.
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.CI === 'true'
    ? 20261122
    : Date.now() % 2 ** 31;
const PARSER_RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const LIVE_RUNS = Math.max(50, Math.floor(PARSER_RUNS / 4));
const settings = (numRuns: number, timeMs: number): fc.Parameters<unknown> => ({
  seed: SEED,
  numRuns,
  interruptAfterTimeLimit: timeMs,
  markInterruptAsFailure: false,
});

const CONTRACT_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
const PARSER_CODES = new Set<string>([ErrorCode.INVALID_JSON, ErrorCode.INVALID_MESSAGE, ErrorCode.UNKNOWN_TYPE]);
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

function expectPrototypesClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTO_KEYS);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'roles', 'topics', 'bbox']) expect(probe[key]).toBeUndefined();
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
}

// ---- generators ----

/** Strings that stress decoders: lone surrogates, astral characters, controls, RTL, NUL. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '\ud800',
    '\udfff',
    'a\ud83d',
    '\u0000',
    '\u202e\u2066',
    '𝕋𝕣𝕒𝕔𝕜',
    '\ufeff',
    '__proto__',
    'constructor',
    'prototype',
    'package:',
    'schedule:x',
    'package:TN1',
    'map_updates',
    '1700000000000-0',
  ),
);

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
  nastyString,
);

/** JSON values with hostile keys, built as text so `__proto__` stays an own key (as on the wire). */
const hostileJson: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '0', '-1e309', '1e400', '"x"', '[]', '{}'),
    fc.double().map((n) => JSON.stringify(n)),
    nastyString.map((s) => JSON.stringify(s)),
    fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** `{"k":v,...}` from keys and already-serialised values, so hostile keys stay own keys. */
const objectText = (entries: [string, string | undefined][]): string =>
  `{${entries
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${v}`)
    .join(',')}}`;
const json = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<string> => arb.map((v) => JSON.stringify(v));
const optional = (arb: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> =>
  fc.option(arb, { nil: undefined, freq: 3 });

const topicsText = fc.oneof(
  json(
    fc.array(
      fc.oneof(
        fc.constantFrom(
          'map_updates',
          'anomalies',
          'package:TN1',
          'agent_activity',
          'schedule:nope',
          'dashboard_metrics',
        ),
        nastyString,
      ),
      { maxLength: 60 },
    ),
  ),
  hostileJson,
);
const filterText = fc.oneof(
  hostileJson,
  fc
    .record({
      bbox: optional(
        fc.oneof(
          json(fc.array(fc.oneof(fc.double(), fc.integer({ min: -200, max: 200 })), { maxLength: 5 })),
          hostileJson,
        ),
      ),
      minSeverity: optional(json(fc.oneof(fc.constantFrom('low', 'high', 'critical'), nastyString))),
      carrier: optional(fc.oneof(json(nastyString), hostileJson)),
      status: optional(
        json(fc.array(fc.oneof(fc.constantFrom('delivered', 'exception'), nastyString), { maxLength: 4 })),
      ),
      extra: optional(fc.tuple(hostileKey, hostileJson).map(([k, v]) => `${JSON.stringify(k)}:${v}`)),
    })
    .map(({ extra, ...known }) => {
      const text = objectText(Object.entries(known));
      return extra === undefined ? text : text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`;
    }),
);
const dataText = fc.oneof(
  hostileJson,
  fc
    .record({
      topics: optional(topicsText),
      since: optional(
        fc.oneof(json(fc.constantFrom('0-0', '1-0', '99999999999999-0')), json(nastyString), hostileJson),
      ),
      filter: optional(filterText),
      token: optional(
        fc.oneof(json(nastyString), json(fc.constantFrom('a.b.c', 'eyJhbGciOiJub25lIn0.e30.')), hostileJson),
      ),
      __proto__: optional(hostileJson),
    })
    .map((d) => objectText(Object.entries(d))),
);

/** Objects shaped like client frames, with every field possibly of the wrong type or hostile. */
const frameLike: fc.Arbitrary<string> = fc
  .record({
    type: optional(
      fc.oneof(
        json(fc.constantFrom(...CLIENT_FRAME_TYPES)),
        json(fc.constantFrom('__proto__', 'error', 'pong')),
        json(nastyString),
        hostileJson,
      ),
    ),
    ref: optional(fc.oneof(json(fc.string({ maxLength: MAX_REF_LENGTH + 4 })), json(nastyString), hostileJson)),
    data: optional(dataText),
    extra: optional(fc.tuple(hostileKey, hostileJson).map(([k, v]) => `${JSON.stringify(k)}:${v}`)),
  })
  .map(({ extra, ...known }) => {
    const text = objectText(Object.entries(known));
    return extra === undefined ? text : text === '{}' ? `{${extra}}` : `${text.slice(0, -1)},${extra}}`;
  });

/** Deep or large but under the 64 KiB frame limit. */
const bigJson: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc.integer({ min: 1, max: 6_000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc
    .integer({ min: 1, max: 5_000 })
    .map(
      (d) =>
        `{"type":"subscribe","data":{"topics":["anomalies"],"filter":${'{"__proto__":'.repeat(d)}1${'}'.repeat(d)}}}`,
    ),
  fc.integer({ min: 1, max: 60_000 }).map((n) => `{"type":"ping","ref":"big","data":"${'x'.repeat(n)}"}`),
  fc
    .integer({ min: 51, max: 5_000 })
    .map((n) => JSON.stringify({ type: 'subscribe', ref: 'many', data: { topics: Array(n).fill('anomalies') } })),
  fc.integer({ min: 1, max: 8_000 }).map((n) => `{"type":"ping","data":[${Array(n).fill('1e308').join(',')}]}`),
  fc.integer({ min: 1, max: 9_000 }).map((n) => `{"type":"auth","data":{"token":"${'a.'.repeat(n)}"}}`),
);

const FRAME_LIMIT = 64 * 1024;
const anyFrameText = fc
  .oneof(
    { weight: 3, arbitrary: frameLike },
    { weight: 2, arbitrary: hostileJson },
    { weight: 1, arbitrary: bigJson },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  )
  // Larger frames close with 1009 (gateway-limits suite); this one is about what gets parsed.
  .filter((text) => Buffer.byteLength(text) < FRAME_LIMIT);

// ---- the parser ----

describe(`fuzz: parseClientFrame (seed ${SEED})`, () => {
  beforeAll(() => {
    console.log(`fuzz-frames: FUZZ_SEED=${SEED} (replay with FUZZ_SEED=${SEED})`);
  });

  it('never throws; answers a frame or INVALID_JSON / INVALID_MESSAGE / UNKNOWN_TYPE; never pollutes', () => {
    fc.assert(
      fc.property(anyFrameText, (text) => {
        const result = parseClientFrame(text);
        if (result.ok) {
          expect(CLIENT_FRAME_TYPES).toContain(result.frame.type);
          // A validated frame is stable: serialised and parsed again it is the same frame.
          const wire = JSON.stringify(result.frame);
          expect(parseClientFrame(wire)).toEqual({ ok: true, frame: JSON.parse(wire) as unknown });
          if (result.frame.ref !== undefined) expect(result.frame.ref.length).toBeLessThanOrEqual(MAX_REF_LENGTH);
        } else {
          expect(PARSER_CODES.has(result.code)).toBe(true);
          expect(typeof result.message).toBe('string');
          expect(result.message.length).toBeLessThan(4_000);
          if (result.ref !== undefined) expect(result.ref.length).toBeLessThanOrEqual(MAX_REF_LENGTH);
        }
      }),
      settings(PARSER_RUNS, 20_000),
    );
    expectPrototypesClean();
  });

  it('validated frames carry only contract fields, with plain prototypes', () => {
    fc.assert(
      fc.property(frameLike, (text) => {
        const result = parseClientFrame(text);
        if (!result.ok) return;
        const frame = result.frame as unknown as Record<string, unknown>;
        for (const key of Object.keys(frame)) expect(['type', 'ref', 'data']).toContain(key);
        if (frame.type !== 'ping') {
          const data = frame.data as Record<string, unknown>;
          expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
          for (const key of Object.keys(data)) expect(['topics', 'since', 'filter', 'token']).toContain(key);
          const filter = data.filter as Record<string, unknown> | undefined;
          if (filter) {
            expect(Object.getPrototypeOf(filter)).toBe(Object.prototype);
            for (const key of Object.keys(filter)) expect(['bbox', 'minSeverity', 'carrier', 'status']).toContain(key);
          }
        }
      }),
      settings(PARSER_RUNS, 15_000),
    );
    expectPrototypesClean();
  });
});

// ---- the live dispatcher ----

describe(`fuzz: live WebSocket dispatcher (seed ${SEED})`, () => {
  let t: TestApp;
  let c: TestClient;
  let seq = 0;
  beforeAll(async () => {
    // The rate limit is tested elsewhere: here every fuzzed frame must reach the parser.
    t = await startApp({ WS_RATE_PER_SECOND: '100000', WS_RATE_BURST: '100000', WS_MAX_SUBSCRIPTIONS: '100000' });
    c = await connected(t.ws, '/ws/connect', { token: ops('fuzzer') });
  });
  afterAll(async () => {
    await c.close();
    await t.close();
  });

  const REPLY_TYPES = new Set(['subscribed', 'unsubscribed', 'pong', 'authenticated', 'snapshot']);

  /** Sends one frame, then a ping; returns every frame that arrived before that ping's pong. */
  async function sendAndProbe(payload: string | Buffer, binary: boolean): Promise<Frame[]> {
    const ref = `probe-${seq++}`;
    const from = c.frames.length;
    c.ws.send(payload, { binary });
    c.send({ type: 'ping', ref });
    const pong = await Promise.race([
      c.next((f) => f.type === 'pong' && f.ref === ref, 10_000),
      c.closed.then(({ code }) => Promise.reject(new Error(`the server closed the connection: ${code}`))),
    ]);
    return c.frames.slice(from, c.frames.indexOf(pong));
  }

  function expectContractAnswers(frames: Frame[]): void {
    for (const f of frames) {
      if (f.type === 'error') {
        expect(CONTRACT_CODES.has(f.data.code as string)).toBe(true);
        expect(typeof f.data.message).toBe('string');
      } else {
        // A fuzzed frame that happened to be valid gets its normal reply (or events it subscribed to).
        expect(REPLY_TYPES.has(f.type) || typeof f.id === 'string').toBe(true);
      }
    }
  }

  it('text frames: every answer is a contract frame, the connection stays open, nothing is polluted', async () => {
    await fc.assert(
      fc.asyncProperty(anyFrameText, async (text) => {
        expectContractAnswers(await sendAndProbe(text, false));
      }),
      settings(LIVE_RUNS, 40_000),
    );
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    expect(t.app.get(ConnectionRegistry).size).toBe(1);
    expectPrototypesClean();
  }, 90_000);

  it('binary frames of arbitrary bytes: INVALID_JSON each time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const frames = await sendAndProbe(Buffer.from(bytes), true);
        expect(frames.map((f) => f.data.code as string)).toEqual(['INVALID_JSON']);
      }),
      settings(Math.ceil(LIVE_RUNS / 3), 15_000),
    );
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  }, 60_000);

  it('text frames of arbitrary valid UTF-8 byte sequences: a contract answer each time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const text = Buffer.from(bytes).toString('utf8');
        expectContractAnswers(await sendAndProbe(text, false));
      }),
      settings(Math.ceil(LIVE_RUNS / 3), 15_000),
    );
  }, 60_000);

  it('invalid UTF-8 in a text frame fails that connection only (RFC 6455: 1007); the server carries on', async () => {
    const victim = await connected(t.ws, '/ws/connect', { token: ops('fuzzer') });
    victim.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await victim.closed).code).toBe(1007);
    expect((await c.request('ping')).type).toBe('pong');
    expect((await fetch(`${t.http}/health`)).status).toBe(200);
  });
});
