import { jest } from '@jest/globals';
import { closeIsFinal, Reconnector } from './reconnect.js';
import type { CloseInfo } from '../types.js';

const close = (advice: CloseInfo['advice'], code = 1006): CloseInfo => ({ code, reason: 'r', advice });

describe('closeIsFinal', () => {
  it('stops on stop and fix-client, retries on reconnect and backoff-long without asking about tokens', () => {
    const never = () => {
      throw new Error('asked about the token');
    };
    expect(closeIsFinal(close('stop'), never)).toBe(true);
    expect(closeIsFinal(close('fix-client'), never)).toBe(true);
    expect(closeIsFinal(close('reconnect'), never)).toBe(false);
    expect(closeIsFinal(close('backoff-long'), never)).toBe(false);
  });

  it('on refresh-token, stops only when a new token cannot help', () => {
    expect(closeIsFinal(close('refresh-token', 4401), () => true)).toBe(false);
    expect(closeIsFinal(close('refresh-token', 4401), () => false)).toBe(true);
  });
});

describe('Reconnector', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('grows the back-off per failure, retries once after it, and starts over after a success', () => {
    const r = new Reconnector({ initialMs: 100, maxMs: 1000, longMs: 5000 }, () => 1);
    const retry = jest.fn();
    expect(r.fresh).toBe(true);
    expect(r.schedule(close('reconnect'), retry)).toMatchObject({ state: 'reconnecting', attempt: 1, delayMs: 100 });
    expect(r.schedule(close('reconnect'), retry)).toMatchObject({ attempt: 2, delayMs: 200 });
    expect(r.pending).toBe(true);
    jest.advanceTimersByTime(199);
    expect(retry).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    // The second schedule replaced the first: one retry, not two.
    jest.advanceTimersByTime(1000);
    expect(retry).toHaveBeenCalledTimes(1);
    expect(r.pending).toBe(false);
    r.succeeded();
    expect(r.fresh).toBe(true);
    expect(r.schedule(close('reconnect'), retry)).toMatchObject({ attempt: 1, delayMs: 100 });
  });

  it('cancel drops the pending retry', () => {
    const r = new Reconnector({ initialMs: 100, maxMs: 1000, longMs: 5000 }, () => 0.5);
    const retry = jest.fn();
    r.schedule(close('backoff-long'), retry);
    r.cancel();
    jest.advanceTimersByTime(10_000);
    expect(retry).not.toHaveBeenCalled();
  });
});
