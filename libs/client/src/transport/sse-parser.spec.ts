import { SseParser, type SseMessage } from './sse-parser.js';

describe('SseParser', () => {
  it('parses id, event and data across chunk boundaries and line endings, and counts comments', () => {
    const out: SseMessage[] = [];
    let comments = 0;
    const p = new SseParser(
      (m) => out.push(m),
      () => (comments += 1),
    );
    p.push(': hello\n\nid: 1-0\nevent: package_update\nda');
    p.push('ta: {"a":1}\r\n\r\nevent: gap\r');
    p.push('data: x\ndata: y\n\n');
    expect(out).toEqual([
      { id: '1-0', event: 'package_update', data: '{"a":1}' },
      { id: undefined, event: 'gap', data: 'x\ny' },
    ]);
    expect(comments).toBe(1);
  });
});
