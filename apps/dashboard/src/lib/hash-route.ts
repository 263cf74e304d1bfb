import { useEffect, useState } from 'react';

/**
 * The app's own addresses live in the hash (`#/packages/TN123`): the paths themselves belong to the
 * REST API (`/packages/...` answers JSON), and a hash survives the sign-in form untouched.
 */
export type Route =
  | { view: 'overview' }
  | { view: 'packages' }
  | { view: 'package'; trackingNumber: string }
  | { view: 'anomalies' }
  | { view: 'plan' }
  | { view: 'playback' }
  | { view: 'admin' };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'packages':
      return parts[1] ? { view: 'package', trackingNumber: parts[1] } : { view: 'packages' };
    case 'anomalies':
    case 'plan':
    case 'playback':
    case 'admin':
      return { view: parts[0] };
    default:
      return { view: 'overview' };
  }
}

export function hrefOf(route: Route): string {
  return route.view === 'package'
    ? `#/packages/${encodeURIComponent(route.trackingNumber)}`
    : route.view === 'overview'
      ? '#/'
      : `#/${route.view}`;
}

export const packageHref = (trackingNumber: string): string => hrefOf({ view: 'package', trackingNumber });

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
