import { useConnectionStatus } from '@tracklight/react';

/** Connected / reconnecting (attempt n) / closed, and whether the last resume recovered or had a gap. */
export function ConnectionIndicator() {
  const status = useConnectionStatus();
  let label: string;
  let detail = '';
  switch (status.state) {
    case 'connecting':
      label = 'Connecting…';
      break;
    case 'open':
      label = 'Connected';
      if (status.recovery) {
        detail = status.recovery.recovered
          ? 'resumed, nothing missed'
          : `gap: ${status.recovery.gapTopics.length} topic(s) reloaded`;
      }
      break;
    case 'reconnecting':
      label = `Reconnecting (attempt ${status.attempt})`;
      break;
    case 'closed':
      label = status.close ? `Disconnected (${status.close.error?.code ?? status.close.code})` : 'Disconnected';
      break;
  }
  const recovery = status.state === 'open' && status.recovery ? (status.recovery.recovered ? 'recovered' : 'gap') : '';
  return (
    <div className="connection" role="status" aria-live="polite" data-state={status.state} data-recovery={recovery}>
      <span className={`dot dot-${status.state}`} aria-hidden="true" />
      <span className="connection-label">{label}</span>
      {detail && (
        <span
          className={`connection-detail ${recovery}`}
          title={status.state === 'open' ? status.recovery?.gapTopics.join(', ') : undefined}
        >
          {detail}
        </span>
      )}
    </div>
  );
}
