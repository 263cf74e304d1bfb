/** One open WebSocket connection as GET /ws/connections lists it. */
export interface ConnectionItem {
  connectionId: string;
  userId: string;
  endpoint: string;
  topics: string[];
  connectedAt: string;
  lastActivityAt: string;
  messagesIn: number;
  messagesOut: number;
  bufferedBytes: number;
  remoteAddress: string;
}

/** The filters of GET /ws/connections; every one given must match. */
export interface ConnectionFilter {
  userId?: string;
  endpoint?: string;
  topic?: string;
}

/** Matching connections of one instance: the first `items`, and how many match in all. */
export interface ConnectionSlice {
  total: number;
  items: ConnectionItem[];
}

/**
 * Implemented by the admin module over this instance's connections and handed to
 * ClusterAdmin.setSource(), so the cluster layer never imports the gateway.
 */
export interface AdminConnectionSource {
  /** Matching open connections in cluster order (connectedAt, then connectionId), at most `max`. */
  matching(filter: ConnectionFilter, max: number): ConnectionSlice;
  /** Closes the connection with 4403; false when this instance holds no such open connection. */
  close(connectionId: string): boolean;
}

export type ClusterConnectionItem = ConnectionItem & { instanceId: string };

export interface ClusterConnectionList {
  /** Matching connections across every instance that answered. */
  total: number;
  items: ClusterConnectionItem[];
  /** True when some registered instance did not answer in time: its connections are missing. */
  partial: boolean;
  missingInstances: string[];
  /** True when offset + limit went past the per-instance cap, so this page may skip some. */
  truncated: boolean;
}

/** closed: some instance closed it; absent: every instance answered no; unknown: one did not answer. */
export type ClusterCloseResult = 'closed' | 'absent' | 'unknown';

/**
 * The admin routes' view of every instance. Without Redis it is this instance only
 * (`spansInstances` false) and the admin module keeps its local answers.
 */
export abstract class ClusterAdmin {
  abstract readonly spansInstances: boolean;

  abstract setSource(source: AdminConnectionSource): void;

  abstract list(filter: ConnectionFilter, offset: number, limit: number): Promise<ClusterConnectionList>;

  abstract close(connectionId: string): Promise<ClusterCloseResult>;
}

/** Sort order of the cluster-wide list: deterministic whatever the instances' reply order. */
export function compareConnections(a: ConnectionItem, b: ConnectionItem): number {
  if (a.connectedAt !== b.connectedAt) return a.connectedAt < b.connectedAt ? -1 : 1;
  return a.connectionId < b.connectionId ? -1 : a.connectionId > b.connectionId ? 1 : 0;
}
