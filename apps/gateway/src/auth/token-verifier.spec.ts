import { createHmac, createSign, generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/app-config.js';
import { bearerToken } from './bearer.js';
import { TokenError } from './token-error.js';
import { TokenVerifier } from './token-verifier.js';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function hs256(payload: object, secret: string | Buffer = SECRET, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function signed(alg: 'RS256' | 'ES256', key: string, payload: object): string {
  const head = `${b64({ alg, typ: 'JWT' })}.${b64(payload)}`;
  const sign = createSign('SHA256').update(head);
  const sig = alg === 'ES256' ? sign.sign({ key, dsaEncoding: 'ieee-p1363' }) : sign.sign(key);
  return `${head}.${sig.toString('base64url')}`;
}

const verifier = (jwt: Partial<AppConfig['jwt']>) =>
  new TokenVerifier(new JwtService({}), { jwt: { secret: SECRET, ...jwt } } as AppConfig);

function refusal(v: TokenVerifier, token: string | undefined): TokenError {
  try {
    v.verify(token);
  } catch (err) {
    if (err instanceof TokenError) return err;
    throw err;
  }
  throw new Error('token was accepted');
}

describe('TokenVerifier (HS256)', () => {
  const v = verifier({});

  it('accepts a valid token; roles default to viewer', () => {
    const p = v.verify(hs256({ sub: 'alice', exp: now() + 60 }));
    expect(p).toEqual({ userId: 'alice', roles: ['viewer'], expiresAt: expect.any(Date) });
    expect(v.verify(hs256({ sub: 'b', roles: ['ops', 'ops', 'admin'], exp: now() + 60 })).roles).toEqual([
      'ops',
      'admin',
    ]);
  });

  it.each([
    ['missing', undefined, 'missing'],
    ['empty', '', 'missing'],
    ['not three parts', 'abc', 'malformed'],
    ['garbage parts', 'a.b.c', 'malformed'],
    ['too long', `${'a'.repeat(9000)}.b.c`, 'malformed'],
    ['wrong secret', hs256({ sub: 'a', exp: now() + 60 }, 'another-secret-another-secret-another'), 'signature'],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'a', exp: now() + 60 })}.`, 'signature'],
    ['no sub', hs256({ exp: now() + 60 }), 'claims'],
    ['sub not a string', hs256({ sub: 5, exp: now() + 60 }), 'claims'],
    ['no exp', hs256({ sub: 'a' }), 'claims'],
    ['unknown role', hs256({ sub: 'a', roles: ['root'], exp: now() + 60 }), 'claims'],
    ['roles not an array', hs256({ sub: 'a', roles: 'admin', exp: now() + 60 }), 'claims'],
    ['not yet valid', hs256({ sub: 'a', exp: now() + 60, nbf: now() + 30 }), 'not_before'],
  ])('refuses %s as UNAUTHORIZED', (_name, token, reason) => {
    const err = refusal(v, token);
    expect(err.code).toBe('UNAUTHORIZED');
    if (reason !== 'signature') expect(err.reason).toBe(reason);
    else expect(['signature', 'malformed']).toContain(err.reason);
  });

  it('refuses an expired token as TOKEN_EXPIRED', () => {
    const err = refusal(v, hs256({ sub: 'a', exp: now() - 5 }));
    expect(err).toMatchObject({ code: 'TOKEN_EXPIRED', reason: 'expired' });
  });

  it('enforces issuer and audience when configured', () => {
    const strict = verifier({ issuer: 'tracklight', audience: 'gateway' });
    expect(strict.verify(hs256({ sub: 'a', exp: now() + 60, iss: 'tracklight', aud: 'gateway' })).userId).toBe('a');
    expect(refusal(strict, hs256({ sub: 'a', exp: now() + 60, iss: 'other', aud: 'gateway' })).code).toBe(
      'UNAUTHORIZED',
    );
    expect(refusal(strict, hs256({ sub: 'a', exp: now() + 60 })).code).toBe('UNAUTHORIZED');
  });
});

describe('TokenVerifier (public key)', () => {
  const rsa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const ec = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

  it('accepts RS256 and ES256 tokens signed by the matching private key', () => {
    expect(
      verifier({ secret: undefined, publicKey: rsa.publicKey }).verify(
        signed('RS256', rsa.privateKey, { sub: 'r', exp: now() + 60 }),
      ).userId,
    ).toBe('r');
    expect(
      verifier({ secret: undefined, publicKey: ec.publicKey }).verify(
        signed('ES256', ec.privateKey, { sub: 'e', exp: now() + 60 }),
      ).userId,
    ).toBe('e');
  });

  it('refuses HS256 signed with the public key as secret (algorithm confusion)', () => {
    const v = verifier({ secret: undefined, publicKey: rsa.publicKey });
    expect(refusal(v, hs256({ sub: 'x', roles: ['admin'], exp: now() + 60 }, rsa.publicKey)).code).toBe('UNAUTHORIZED');
  });

  it('refuses alg none and HS256 with the old secret', () => {
    const v = verifier({ secret: undefined, publicKey: rsa.publicKey });
    expect(refusal(v, `${b64({ alg: 'none' })}.${b64({ sub: 'x', exp: now() + 60 })}.`).code).toBe('UNAUTHORIZED');
    expect(refusal(v, hs256({ sub: 'x', exp: now() + 60 })).code).toBe('UNAUTHORIZED');
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc', 'abc'],
    [['Bearer first', 'Bearer second'], 'first'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%j -> %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
