import { dispatchReport, rerouteReport } from './agent-behaviours.js';
import { heartbeatEveryMs } from './simulated-agents.service.js';

describe('simulated agent behaviours', () => {
  it('the reroute agent idles without anomalies and works the most severe ones in turn', () => {
    expect(rerouteReport([], 0)).toEqual({ state: 'idle', action: 'Watching for anomalies' });
    const open = [
      { trackingNumber: 'TN3', type: 'delay', severity: 'low' as const },
      { trackingNumber: 'TN2', type: 'stuck', severity: 'critical' as const },
      { trackingNumber: 'TN1', type: 'route_deviation', severity: 'critical' as const },
    ];
    const first = rerouteReport(open, 0);
    const second = rerouteReport(open, 1);
    const third = rerouteReport(open, 2);
    expect(first).toEqual({ state: 'busy', action: 'Correcting the route of TN1 (route_deviation, critical); 3 open' });
    expect(second.action).toMatch(/^Rerouting TN2 \(stuck, critical\)/);
    expect(third).toEqual(first);
  });

  it('the dispatch agent loads parcels out for delivery onto vans', () => {
    expect(dispatchReport([])).toEqual({ state: 'idle', action: 'Waiting for parcels' });
    expect(dispatchReport([{ status: 'exception' }])).toMatchObject({ state: 'idle' });
    expect(dispatchReport([{ status: 'at_facility' }, { status: 'in_transit' }])).toEqual({
      state: 'online',
      action: '2 parcels on the way, none out for delivery yet',
    });
    const out = Array.from({ length: 13 }, () => ({ status: 'out_for_delivery' as const }));
    expect(dispatchReport([...out, { status: 'in_transit' }])).toEqual({
      state: 'busy',
      action: 'Dispatching 13 parcels on 2 vans',
    });
  });

  it('heartbeats come well inside the offline timeout', () => {
    expect(heartbeatEveryMs(30_000)).toBe(5000);
    expect(heartbeatEveryMs(600)).toBe(200);
    expect(heartbeatEveryMs(30)).toBe(50);
  });
});
