import { useConnectionStatus, useTracklightClient } from '@tracklight/react';

/** The connection in plain words, and what the page's data is worth while it is not live. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  let label: string;
  let detail = '';
  switch (status.state) {
    case 'connecting':
      label = 'Connecting…';
      break;
    case 'open':
      label = 'Live';
      if (status.recovery) {
        detail = status.recovery.recovered ? 'caught up after reconnecting' : 'reloaded after reconnecting';
      }
      break;
    case 'reconnecting':
      label = 'Offline: trying to reconnect';
      break;
    case 'closed':
      label = 'Disconnected';
      break;
  }
  const recovery = status.state === 'open' && status.recovery ? (status.recovery.recovered ? 'recovered' : 'gap') : '';
  return (
    <div className="connection" role="status" aria-live="polite" data-state={status.state} data-recovery={recovery}>
      <span className={`dot dot-${status.state}`} aria-hidden="true" />
      <span className="connection-label">{label}</span>
      {detail && <span className={`connection-detail ${recovery}`}>{detail}</span>}
    </div>
  );
}

/** While cut off: say plainly that what is on screen may be out of date, and offer to retry now. */
export function StaleBanner() {
  const status = useConnectionStatus();
  const client = useTracklightClient();
  if (status.state !== 'reconnecting') return null;
  const seconds = Math.max(1, Math.round(status.delayMs / 1000));
  return (
    <div className="banner warn stale-banner" role="alert">
      <strong>Data is stale.</strong> The live connection to the server is lost, so what you see may be out of date.
      Next automatic attempt within {seconds} s.{' '}
      <button type="button" onClick={() => client.reconnectNow()}>
        Retry now
      </button>
    </div>
  );
}
