import { compareConnections, type ClusterConnectionItem, type ConnectionSlice } from './cluster-admin.js';

export interface InstanceSlice extends ConnectionSlice {
  instanceId: string;
}

/**
 * One page over the slices of several instances. Each slice holds that instance's first matches
 * in cluster order, so the first offset + limit of the merge are right as long as no slice was
 * cut short of offset + limit (then `truncated`).
 */
export function mergeConnectionLists(
  slices: InstanceSlice[],
  offset: number,
  limit: number,
): { total: number; items: ClusterConnectionItem[]; truncated: boolean } {
  const all = slices.flatMap((s) => s.items.map((item) => ({ ...item, instanceId: s.instanceId })));
  all.sort(compareConnections);
  const want = offset + limit;
  const truncated = slices.some((s) => s.items.length < Math.min(s.total, want));
  return {
    total: slices.reduce((n, s) => n + s.total, 0),
    items: all.slice(offset, want),
    truncated,
  };
}
