import { useState } from 'react';
import { useConnectionStatus, useHealthProbe } from '@tracklight/react';
import { canOperate, type Session } from '../lib/session.js';
import { AnomaliesFeed } from './AnomaliesFeed.js';
import { ConnectionIndicator, StaleBanner } from './ConnectionIndicator.js';
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
  const { code, error, reason } = status.close;
  return (
    <div className="banner error" role="alert">
      The connection was closed ({code}
      {error ? ` ${error.code}: ${error.message}` : reason ? `: ${reason}` : ''}).{' '}
      <button type="button" onClick={onSignOut}>
        Sign in again
      </button>
    </div>
  );
}

export function Dashboard({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [routes, setRoutes] = useState<RouteLine[]>([]);
  const ops = canOperate(session);
  // Reconnect within about a second of the server answering again, whatever the back-off says.
  useHealthProbe('/health');
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
      <ClosedBanner onSignOut={onSignOut} />
      <StaleBanner />
      <main>
        <KpiTiles token={session.token} />
        <div className="grid">
          <MapView routes={routes} />
          <PackagesTable token={session.token} />
          <AnomaliesFeed token={session.token} />
          {ops && <OpsPanel token={session.token} />}
          <SchedulePanel token={session.token} onRoutes={setRoutes} />
          <NotificationsPanel token={session.token} />
        </div>
      </main>
    </div>
  );
}
