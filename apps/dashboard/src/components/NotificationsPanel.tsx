import type { TopicMessage } from '@tracklight/client';
import type { Notification } from '@tracklight/protocol';
import { useLiveList } from '@tracklight/react';
import { localizeIsoIn, localTime } from '../lib/format.js';
import { useListLoader } from '../lib/rest-loader.js';
import { StaleMark } from './StaleMark.js';

const keyOf = (n: Notification) => n.notificationId;
const fromEvent = (m: TopicMessage<'notifications'>) => (m.type === 'notification' ? m.data : undefined);

const createdAt = (n: Notification): string => (typeof n.createdAt === 'string' ? n.createdAt : '');

/** Broadcast notifications and those addressed to the signed-in user (the server filters). */
export function NotificationsPanel({ token }: { token: string }) {
  const load = useListLoader<Notification>('/notifications?limit=20', token);
  const live = useLiveList({ topic: 'notifications', load, keyOf, fromEvent, limit: 200 });
  // The REST page comes newest first and events arrive oldest first: order by arrival, newest on top.
  const items = [...live.state.map.values()].sort((a, b) => createdAt(b).localeCompare(createdAt(a)));
  return (
    <section className="panel notifications" aria-labelledby="notifications-title" data-stale={live.stale}>
      <h2 id="notifications-title">
        Notifications <StaleMark live={live} />
      </h2>
      <ol className="feed" tabIndex={0} aria-label="Notifications, newest first">
        {items.slice(0, 20).map((n) => (
          <li key={n.notificationId} data-notification={n.notificationId}>
            <span className={`badge level-${n.level}`}>{n.level}</span> <strong>{n.title}</strong>
            {typeof n.createdAt === 'string' && (
              <p className="muted small">
                <time dateTime={n.createdAt}>{localTime(n.createdAt)}</time>
              </p>
            )}
            <p>{localizeIsoIn(n.message)}</p>
          </li>
        ))}
        {items.length === 0 && <li className="empty">Nothing yet.</li>}
      </ol>
    </section>
  );
}
