import { useState } from 'react';
import { useConnectionStatus, useHealthProbe } from '@tracklight/react';
import { hrefOf, useHashRoute, type Route } from '../lib/hash-route.js';
import { canOperate, type Session } from '../lib/session.js';
import { AdminView } from '../views/AdminView.js';
import { PackageView } from '../views/PackageView.js';
import { PlaybackView } from '../views/PlaybackView.js';
import { AnomaliesFeed } from './AnomaliesFeed.js';
import { ConnectionIndicator, StaleBanner } from './ConnectionIndicator.js';
import { CriticalAlert } from './CriticalAlert.js';
import { KpiTiles } from './KpiTiles.js';
import { MapView, type RouteLine } from './MapView.js';
import { NotificationsPanel } from './NotificationsPanel.js';
import { OpsPanel } from './OpsPanel.js';
import { PackagesTable } from './PackagesTable.js';
import { SchedulePanel } from './SchedulePanel.js';

/** Closes that need the user: the token was refused, or an admin closed the connection. */
function ClosedBanner({ onSignOut }: { onSignOut: () => void }) {
  const status = useConnectionStatus();
  if (status.state !== 'closed' || !status.close || status.close.code === 1000) return null;
  const { code, error } = status.close;
  const why =
    code === 4403 && !error
      ? 'An administrator closed this connection.'
      : error?.code === 'TOKEN_EXPIRED' || code === 4408
        ? 'Your sign-in expired.'
        : error?.code === 'UNAUTHORIZED' || code === 4401
          ? 'The server did not accept your sign-in.'
          : `The server closed the connection (${code}${error ? ` ${error.code}` : ''}).`;
  return (
    <div className="banner error" role="alert">
      {why} Live updates have stopped.{' '}
      <button type="button" onClick={onSignOut}>
        Sign in again
      </button>
    </div>
  );
}

const NAV: [Route['view'], string][] = [
  ['overview', 'Overview'],
  ['packages', 'Packages'],
  ['anomalies', 'Anomalies'],
  ['plan', 'Plan'],
  ['playback', 'Playback'],
  ['admin', 'Admin'],
];

export function Dashboard({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [routes, setRoutes] = useState<RouteLine[]>([]);
  const route = useHashRoute();
  const ops = canOperate(session);
  const isAdmin = session.roles.includes('admin');
  // Reconnect within about a second of the server answering again, whatever the back-off says.
  useHealthProbe('/health');
  const current = route.view === 'package' ? 'packages' : route.view;
  return (
    <div className="app">
      <header className="top">
        <h1>Tracklight</h1>
        <ConnectionIndicator />
        <div className="user">
          <span>
            {session.sub} <span className="muted">({session.roles.join(', ')})</span>
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="views" aria-label="Views">
        {NAV.filter(([view]) => view !== 'admin' || isAdmin).map(([view, label]) => (
          <a key={view} href={hrefOf({ view } as Route)} aria-current={current === view ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <ClosedBanner onSignOut={onSignOut} />
      <StaleBanner />
      <CriticalAlert />
      <main>
        {route.view === 'overview' && (
          <>
            <KpiTiles token={session.token} />
            <div className="grid">
              <MapView />
              <PackagesTable token={session.token} compact />
              <AnomaliesFeed token={session.token} canAct={ops} />
              {ops && <OpsPanel token={session.token} />}
              <NotificationsPanel token={session.token} />
            </div>
          </>
        )}
        {route.view === 'packages' && <PackagesTable token={session.token} />}
        {route.view === 'package' && (
          <PackageView
            key={route.trackingNumber}
            trackingNumber={route.trackingNumber}
            token={session.token}
            canAct={ops}
          />
        )}
        {route.view === 'anomalies' && <AnomaliesFeed token={session.token} canAct={ops} />}
        {route.view === 'plan' && (
          <div className="grid">
            <SchedulePanel token={session.token} onRoutes={setRoutes} />
            <MapView routes={routes} />
          </div>
        )}
        {route.view === 'playback' && <PlaybackView token={session.token} />}
        {route.view === 'admin' &&
          (isAdmin ? (
            <AdminView token={session.token} />
          ) : (
            <p className="error">The admin view needs the admin role.</p>
          ))}
      </main>
    </div>
  );
}
