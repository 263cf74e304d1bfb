import { useState } from 'react';
import type { TopicMessage } from '@tracklight/client';
import type { Notification } from '@tracklight/protocol';
import { useTopic } from '@tracklight/react';
import { emptyKeyed, merged, upsert, type Keyed } from '../lib/keyed.js';
import { useRestList } from '../lib/use-rest.js';

const reducer = (state: Keyed<Notification>, m: TopicMessage<'notifications'>) =>
  upsert(state, m.data.notificationId, m.data, 200);

/** Broadcast notifications and those addressed to the signed-in user (the server filters). */
export function NotificationsPanel({ token }: { token: string }) {
  const [initial] = useState(() => emptyKeyed<Notification>());
  const live = useTopic('notifications', reducer, initial);
  const seed = useRestList<Notification>('/notifications?limit=20', token);
  // Newest first: the live map keeps insertion order, the seed comes newest first.
  const items = merged([...seed.items].reverse(), (n) => n.notificationId, live).reverse();
  return (
    <section className="panel notifications" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <ol className="feed" tabIndex={0} aria-label="Notifications, newest first">
        {items.slice(0, 20).map((n) => (
          <li key={n.notificationId}>
            <span className={`badge level-${n.level}`}>{n.level}</span> <strong>{n.title}</strong>
            <p>{n.message}</p>
          </li>
        ))}
        {items.length === 0 && <li className="empty">Nothing yet.</li>}
      </ol>
    </section>
  );
}
