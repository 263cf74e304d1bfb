import { useEffect, useState } from 'react';
import { api, itemsOf } from './api.js';

/** Loads a list once (the state before live events), returning [] until then or on failure. */
export function useRestList<T>(path: string | null, token: string): { items: T[]; error: string | null } {
  const [state, setState] = useState<{ items: T[]; error: string | null }>({ items: [], error: null });
  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    api<unknown>(path, token).then(
      (body) => !cancelled && setState({ items: itemsOf<T>(body), error: null }),
      (err: Error) => !cancelled && setState({ items: [], error: err.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [path, token]);
  return state;
}
