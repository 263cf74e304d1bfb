import type { LiveState } from '@tracklight/react';

/** A panel's own truth, in words: nothing while live, "updating…" while rebuilding, "stale" when cut off. */
export function StaleMark({ live }: { live: Pick<LiveState<unknown>, 'stale' | 'resyncing' | 'error'> }) {
  if (live.error) return <span className="stale-mark error">stale: {live.error}</span>;
  if (live.resyncing) return <span className="stale-mark">updating…</span>;
  if (live.stale) return <span className="stale-mark">stale</span>;
  return null;
}
