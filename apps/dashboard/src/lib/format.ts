/** Times in the reader's own time zone and locale: the API speaks ISO-8601 UTC. */
export const localTime = (iso: string | undefined | null): string => (iso ? new Date(iso).toLocaleString() : '–');

/** "3 min ago", for recency at a glance (the exact local time goes in the title). */
export function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.max(s, 0)} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export const words = (s: string): string => s.replace(/_/g, ' ');

/** ISO timestamps inside server text (anomaly descriptions) shown as local times. */
export const localizeIsoIn = (text: string): string =>
  text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) => new Date(iso).toLocaleString());
