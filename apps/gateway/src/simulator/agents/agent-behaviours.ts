import type { AgentState, PackageStatus, Severity } from '@tracklight/protocol';

/** What a simulated agent reports on one heartbeat. */
export interface AgentReport {
  state: AgentState;
  action: string;
}

export interface OpenAnomaly {
  trackingNumber: string;
  type: string;
  severity: Severity;
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * The reroute agent works the open anomalies, most severe first and round robin among equals, so
 * the dashboard shows it moving through them; with none open it idles.
 */
export function rerouteReport(open: readonly OpenAnomaly[], turn: number): AgentReport {
  if (!open.length) return { state: 'idle', action: 'Watching for anomalies' };
  const ranked = [...open].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.trackingNumber.localeCompare(b.trackingNumber),
  );
  const top = ranked.filter((a) => a.severity === ranked[0].severity);
  const target = top[turn % top.length];
  const verb = target.type === 'route_deviation' ? 'Correcting the route of' : 'Rerouting';
  return {
    state: 'busy',
    action: `${verb} ${target.trackingNumber} (${target.type}, ${target.severity}); ${open.length} open`,
  };
}

/** Vans the dispatch agent pretends to load: one per this many parcels out for delivery. */
const PARCELS_PER_VAN = 12;

/** The dispatch agent loads parcels that are out for delivery onto vans; with none it idles. */
export function dispatchReport(active: readonly { status: PackageStatus }[]): AgentReport {
  const out = active.filter((p) => p.status === 'out_for_delivery').length;
  const coming = active.filter((p) => p.status !== 'out_for_delivery' && p.status !== 'exception').length;
  if (!out && !coming) return { state: 'idle', action: 'Waiting for parcels' };
  if (!out) return { state: 'online', action: `${coming} parcels on the way, none out for delivery yet` };
  const vans = Math.ceil(out / PARCELS_PER_VAN);
  return { state: 'busy', action: `Dispatching ${out} parcels on ${vans} van${vans > 1 ? 's' : ''}` };
}
