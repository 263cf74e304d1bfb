import type { Recovery } from '@tracklight/client';
import { isStoredTopic } from '@tracklight/protocol';
import { useConnectionStatus, useTracklightClient } from '@tracklight/react';

/** What a dispatcher calls the view a topic feeds. */
const VIEW_NAMES: Record<string, string> = {
  package_updates: 'packages',
  anomalies: 'anomalies',
  notifications: 'notifications',
  dashboard_metrics: 'key figures',
  map_updates: 'map',
  agent_activity: 'agents',
  system_health: 'system health',
};

const viewName = (topic: string) => VIEW_NAMES[topic] ?? topic.replace(':', ' ');
/** The views some topics feed, each once, in a stable order. */
const viewNames = (topics: readonly string[]) => [...new Set(topics.map(viewName))].sort().join(', ');

interface Detail {
  text: string;
  /** The longer story, as the tooltip. */
  title: string;
  /** Whether every view with server-side history replayed what happened meanwhile. */
  exact: boolean;
}

/**
 * Every view is current again either way; what differs is how. After a restart the views without
 * server-side history (key figures, the map, ...) always reload, so only a stored topic that could
 * not replay makes this a reload worth flagging; the tooltip names every view that reloaded.
 */
function recoveryDetail(gapTopics: Recovery['gapTopics']): Detail {
  const names = viewNames(gapTopics);
  const lost = viewNames(gapTopics.filter(isStoredTopic));
  if (lost) {
    return {
      text: 'reloaded after reconnecting',
      title: `Could not replay what happened meanwhile for ${lost}: reloaded the current state of ${names}.`,
      exact: false,
    };
  }
  return {
    text: 'caught up after reconnecting',
    title: names
      ? `Replayed everything missed. Views the server keeps no history of reloaded: ${names}.`
      : 'Replayed everything missed.',
    exact: true,
  };
}

/** The connection in plain words, and what the page's data is worth while it is not live. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  let label: string;
  let detail: Detail | undefined;
  switch (status.state) {
    case 'connecting':
      label = 'Connecting…';
      break;
    case 'open':
      label = 'Live';
      if (status.recovery) detail = recoveryDetail(status.recovery.gapTopics);
      break;
    case 'reconnecting':
      label = 'Offline: trying to reconnect';
      break;
    case 'closed':
      label = 'Disconnected';
      break;
  }
  const recovery = status.state === 'open' && status.recovery ? (status.recovery.recovered ? 'recovered' : 'gap') : '';
  const reloaded = status.state === 'open' ? status.recovery?.gapTopics.join(' ') : undefined;
  return (
    <div className="connection" role="status" aria-live="polite" data-state={status.state} data-recovery={recovery}>
      <span className={`dot dot-${status.state}`} aria-hidden="true" />
      <span className="connection-label">{label}</span>
      {detail && (
        <span
          className={`connection-detail ${detail.exact ? 'recovered' : 'gap'}`}
          title={detail.title}
          data-reloaded={reloaded}
        >
          {detail.text}
        </span>
      )}
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
