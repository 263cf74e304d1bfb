import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`: keeps "3 min ago" labels true on a quiet screen. */
export function useNow(everyMs = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
