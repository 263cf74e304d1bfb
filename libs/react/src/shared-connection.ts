import type { TracklightClient } from '@tracklight/client';

interface Holders {
  count: number;
  pendingClose?: ReturnType<typeof setTimeout>;
}

const holders = new WeakMap<TracklightClient, Holders>();

/**
 * Reference-counts the components that need a client connected. The close after the last release
 * is deferred one task, so React StrictMode's mount, unmount, mount in development reuses the
 * socket instead of opening a second one.
 */
export function retainConnection(client: TracklightClient): () => void {
  let entry = holders.get(client);
  if (!entry) {
    entry = { count: 0 };
    holders.set(client, entry);
  }
  const held = entry;
  held.count += 1;
  if (held.pendingClose !== undefined) {
    clearTimeout(held.pendingClose);
    held.pendingClose = undefined;
  }
  client.connect();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.count -= 1;
    if (held.count > 0) return;
    held.pendingClose = setTimeout(() => {
      held.pendingClose = undefined;
      if (held.count === 0) client.close();
    }, 0);
  };
}
