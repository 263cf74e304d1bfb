import { useCallback } from 'react';
import { api, itemsOf } from './api.js';

/** A stable REST list read for useLiveList: reloaded whenever the path or the token changes. */
export function useListLoader<T>(path: string | null, token: string): (signal: AbortSignal) => Promise<T[]> {
  return useCallback(
    async (signal: AbortSignal) => (path ? itemsOf<T>(await api<unknown>(path, token, { signal })) : []),
    [path, token],
  );
}

/** A stable REST read of one object for useLiveResource. */
export function useObjectLoader<T>(path: string, token: string): (signal: AbortSignal) => Promise<T> {
  return useCallback((signal: AbortSignal) => api<T>(path, token, { signal }), [path, token]);
}
