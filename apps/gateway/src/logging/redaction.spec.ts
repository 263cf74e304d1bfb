import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { pinoOptions } from './pino-options.js';
import { withoutQuery } from './redaction.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  const config = { logLevel: 'info', instanceId: 'inst-1' } as AppConfig;

  it('strips query strings from URLs', () => {
    expect(withoutQuery('/ws/packages?token=abc&x=1')).toBe('/ws/packages');
    expect(withoutQuery('/health')).toBe('/health');
    expect(withoutQuery(undefined)).toBeUndefined();
  });

  it('never writes a token from the query or the Authorization header; carries the instance id', async () => {
    const { lines, stream } = capture();
    const log = pino(pinoOptions(config) as pino.LoggerOptions, stream);
    log.info(
      {
        req: {
          id: 1,
          method: 'GET',
          url: '/ws/status?token=SECRET-QUERY',
          query: { token: 'SECRET-QUERY' },
          headers: { authorization: 'Bearer SECRET-HEADER', 'user-agent': 'ua' },
          remoteAddress: '127.0.0.1',
        },
      },
      'request completed',
    );
    await new Promise((r) => setImmediate(r));
    const text = lines.join('');
    expect(text).not.toContain('SECRET');
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ instanceId: 'inst-1', level: 'info', req: { url: '/ws/status', method: 'GET' } });
  });
});
