/**
 * Topics whose events are important enough to keep in storage: package updates, anomalies and
 * schedules. A topic's events are kept whole (every type), so a resume from storage has no gap
 * on it; other topics (positions, metrics, agents, notifications) resume from the hot history
 * only, or from snapshots.
 */
export function isDurableTopic(topic: string): boolean {
  return (
    topic === 'package_updates' ||
    topic === 'anomalies' ||
    topic.startsWith('package:') ||
    topic.startsWith('schedule:')
  );
}
