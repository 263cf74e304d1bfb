import { backoffDelay } from './backoff.js';
import { refreshDelay, tokenTimes } from './jwt.js';
import { fakeToken } from '../../../test/fixtures/client/wait.js';

const opts = { initialMs: 100, maxMs: 1000, longMs: 10_000 };

describe('backoffDelay', () => {
  it('draws uniformly below an exponentially growing, capped ceiling', () => {
    expect([1, 2, 3, 4, 5, 20].map((n) => backoffDelay(n, 'reconnect', opts, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, 'reconnect', opts, () => 0)).toBe(0);
    expect(backoffDelay(3, 'reconnect', opts, () => 0.5)).toBe(200);
  });

  it('waits between half and all of longMs for backoff-long', () => {
    expect(backoffDelay(1, 'backoff-long', opts, () => 0)).toBe(5000);
    expect(backoffDelay(1, 'backoff-long', opts, () => 1)).toBe(10_000);
  });
});

describe('token times', () => {
  it('reads exp and iat without verifying', () => {
    expect(tokenTimes(fakeToken({ exp: 2000, iat: 1000 }))).toEqual({ expiresAtMs: 2_000_000, issuedAtMs: 1_000_000 });
    expect(tokenTimes('not-a-jwt')).toEqual({});
    expect(tokenTimes('a.%%%.c')).toEqual({});
  });

  it('refreshes a margin before exp, at most a quarter of the lifetime', () => {
    const now = 1_000_000;
    expect(refreshDelay(fakeToken({ iat: 1000, exp: 4600 }), 60_000, now)).toBe(3_600_000 - 60_000);
    expect(refreshDelay(fakeToken({ iat: 1000, exp: 1040 }), 60_000, now)).toBe(30_000);
    expect(refreshDelay(fakeToken({ sub: 'x' }), 60_000, now)).toBeUndefined();
  });
});
