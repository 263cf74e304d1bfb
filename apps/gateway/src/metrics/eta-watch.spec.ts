import fc from 'fast-check';
import { EtaWatch } from './eta-watch.js';

describe('EtaWatch', () => {
  it('counts a package late once the clock passes its ETA', () => {
    const w = new EtaWatch();
    expect(w.track('a', 100, 0)).toBe(false);
    expect(w.track('b', 50, 0)).toBe(false);
    expect(w.track('c', 10, 20)).toBe(true); // already late when tracked
    expect(w.late).toBe(1);
    expect(w.advance(49)).toBe(0);
    expect(w.advance(50)).toBe(1);
    expect(w.late).toBe(2);
    expect(w.advance(1000)).toBe(1);
    expect(w.late).toBe(3);
  });

  it('stops counting a package untracked before or after its ETA', () => {
    const w = new EtaWatch();
    w.track('a', 100, 0);
    w.track('b', 100, 0);
    expect(w.untrack('a')).toBe(false);
    w.advance(200);
    expect(w.late).toBe(1);
    expect(w.untrack('b')).toBe(true);
    expect(w.late).toBe(0);
    expect(w.untrack('b')).toBe(false);
  });

  it('follows a changed ETA: a stale heap entry never counts', () => {
    const w = new EtaWatch();
    w.track('a', 100, 0);
    w.track('a', 300, 0);
    w.advance(200);
    expect(w.late).toBe(0);
    w.advance(300);
    expect(w.late).toBe(1);
    expect(w.track('a', 1000, 300)).toBe(true); // pushed back: no longer late
    expect(w.late).toBe(0);
  });

  it('always equals a brute-force count over random operations', () => {
    type Op =
      { kind: 'track'; id: number; eta: number } | { kind: 'untrack'; id: number } | { kind: 'tick'; by: number };
    const op = fc.oneof(
      fc.record({ kind: fc.constant('track' as const), id: fc.nat(20), eta: fc.nat(1000) }),
      fc.record({ kind: fc.constant('untrack' as const), id: fc.nat(20) }),
      fc.record({ kind: fc.constant('tick' as const), by: fc.nat(100) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops: Op[]) => {
        const w = new EtaWatch();
        const model = new Map<number, number>();
        let now = 0;
        for (const o of ops) {
          if (o.kind === 'track') {
            w.track(String(o.id), o.eta, now);
            model.set(o.id, o.eta);
          } else if (o.kind === 'untrack') {
            w.untrack(String(o.id));
            model.delete(o.id);
          } else {
            now += o.by;
            w.advance(now);
          }
          const expected = [...model.values()].filter((eta) => eta <= now).length;
          if (w.late !== expected) return false;
        }
        return true;
      }),
    );
  });
});
