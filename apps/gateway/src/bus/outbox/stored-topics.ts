/**
 * The stored topics (PROTOCOL.md, "Stored topics"): their events are written to the event log in
 * the same transaction as the change, kept for DURABLE_HISTORY_SECONDS and relayed exactly once.
 * A topic's events are kept whole (every type), so a resume from the log has no gap on it; other
 * topics (positions, metrics, agents, health) resume from the hot history only, or from snapshots.
 */
export function isStoredTopic(topic: string): boolean {
  return (
    topic === 'package_updates' ||
    topic === 'anomalies' ||
    topic === 'notifications' ||
    topic.startsWith('package:') ||
    topic.startsWith('schedule:')
  );
}
