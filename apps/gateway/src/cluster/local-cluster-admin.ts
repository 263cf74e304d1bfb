import {
  ClusterAdmin,
  type AdminConnectionSource,
  type ClusterCloseResult,
  type ClusterConnectionList,
  type ConnectionFilter,
} from './cluster-admin.js';
import { mergeConnectionLists } from './merge-connection-lists.js';

/** The cluster of one, without REDIS_URL: the admin module answers from its own registry. */
export class LocalClusterAdmin extends ClusterAdmin {
  readonly spansInstances = false;
  private source: AdminConnectionSource | undefined;

  constructor(private readonly instanceId: string) {
    super();
  }

  setSource(source: AdminConnectionSource): void {
    this.source = source;
  }

  list(filter: ConnectionFilter, offset: number, limit: number): Promise<ClusterConnectionList> {
    const slice = this.source?.matching(filter, offset + limit) ?? { total: 0, items: [] };
    const merged = mergeConnectionLists([{ instanceId: this.instanceId, ...slice }], offset, limit);
    return Promise.resolve({ ...merged, partial: false, missingInstances: [] });
  }

  close(connectionId: string): Promise<ClusterCloseResult> {
    return Promise.resolve(this.source?.close(connectionId) ? 'closed' : 'absent');
  }
}
