import { PACKAGE_STATUSES, type PackageStatus } from '@tracklight/protocol';
import { allowedNextStatuses, checkTransition, isFinal, laterStates } from './package-transitions.js';

type S = PackageStatus;

/** The rules written out by hand, state by state, independent of the implementation. */
const EXPECTED: Record<Exclude<S, 'exception'>, S[]> = {
  created: ['created', 'picked_up', 'in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception'],
  picked_up: ['picked_up', 'in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception'],
  in_transit: ['in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception'],
  at_facility: ['in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception'],
  out_for_delivery: ['out_for_delivery', 'delivered', 'exception'],
  delivered: ['returned'],
  returned: [],
};

/** From exception: states later than the one held before it, another exception, or returned. */
const EXPECTED_FROM_EXCEPTION: Record<
  'created' | 'picked_up' | 'in_transit' | 'at_facility' | 'out_for_delivery',
  S[]
> = {
  created: ['picked_up', 'in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception', 'returned'],
  picked_up: ['in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception', 'returned'],
  in_transit: ['in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception', 'returned'],
  at_facility: ['in_transit', 'at_facility', 'out_for_delivery', 'delivered', 'exception', 'returned'],
  out_for_delivery: ['delivered', 'exception', 'returned'],
};

const pairs = (from: S, allowed: S[]) => PACKAGE_STATUSES.map((to) => [from, to, allowed.includes(to)] as const);

describe('package status transitions', () => {
  describe.each(Object.entries(EXPECTED) as [S, S[]][])('from %s', (from, allowed) => {
    it('lists exactly the allowed next states', () => {
      expect(allowedNextStatuses(from)).toEqual(allowed);
    });

    it.each(pairs(from, allowed))('%s → %s allowed: %s', (f, to, ok) => {
      const result = checkTransition(f, to);
      expect(result.ok).toBe(ok);
      if (!result.ok) expect(result.allowed).toEqual(allowed);
    });
  });

  describe.each(Object.entries(EXPECTED_FROM_EXCEPTION) as [S, S[]][])(
    'from exception entered at %s',
    (before, allowed) => {
      it('lists exactly the allowed next states', () => {
        expect(allowedNextStatuses('exception', before)).toEqual(allowed);
      });

      it.each(pairs('exception', allowed))('%s → %s allowed: %s', (f, to, ok) => {
        expect(checkTransition(f, to, before).ok).toBe(ok);
      });
    },
  );

  it('never lets a package move backwards along the journey', () => {
    const journey: S[] = ['created', 'picked_up', 'in_transit', 'out_for_delivery', 'delivered'];
    journey.forEach((from, i) =>
      journey.slice(0, i).forEach((earlier) => expect(checkTransition(from, earlier).ok).toBe(false)),
    );
  });

  it('remembers the state held when the exception began', () => {
    expect(checkTransition('in_transit', 'exception')).toEqual({ ok: true, beforeException: 'in_transit' });
    expect(checkTransition('created', 'exception')).toEqual({ ok: true, beforeException: 'created' });
  });

  it('keeps the first pre-exception state through repeated exception scans', () => {
    expect(checkTransition('exception', 'exception', 'out_for_delivery')).toEqual({
      ok: true,
      beforeException: 'out_for_delivery',
    });
  });

  it('forgets the pre-exception state once the package resumes', () => {
    expect(checkTransition('exception', 'delivered', 'in_transit')).toEqual({ ok: true, beforeException: undefined });
    expect(checkTransition('exception', 'returned', 'in_transit')).toEqual({ ok: true, beforeException: undefined });
  });

  it('treats an unknown pre-exception state as created', () => {
    expect(allowedNextStatuses('exception')).toEqual(EXPECTED_FROM_EXCEPTION.created);
  });

  it('rejects a resume earlier than the state held before the exception, naming the allowed states', () => {
    expect(checkTransition('exception', 'picked_up', 'in_transit')).toEqual({
      ok: false,
      allowed: EXPECTED_FROM_EXCEPTION.in_transit,
    });
  });

  it('knows the final states', () => {
    expect(PACKAGE_STATUSES.filter(isFinal)).toEqual(['delivered', 'returned']);
  });

  it('treats in_transit and at_facility as one stage', () => {
    expect(laterStates('in_transit')).toEqual(['in_transit', 'at_facility', 'out_for_delivery', 'delivered']);
    expect(laterStates('at_facility')).toEqual(['in_transit', 'at_facility', 'out_for_delivery', 'delivered']);
    expect(laterStates('delivered')).toEqual([]);
    expect(laterStates('exception')).toEqual([]);
  });
});
