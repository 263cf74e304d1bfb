import { EventCounts, topicFamily } from './event-counts.js';

function counted(c: EventCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [family, type, n] of c.entries()) out[`${family} ${type}`] = n;
  return out;
}

describe('EventCounts', () => {
  it('aggregates parameterised topics into their family and keeps other topics apart', () => {
    const c = new EventCounts();
    c.add('package:TN1', 'package_update');
    c.add('package:TN2', 'package_update');
    c.add('package_updates', 'package_update');
    c.add('package', 'package_update');
    c.add('schedule:s1', 'schedule_progress');
    c.add('schedule:s1', 'schedule_completed');
    c.add('anomalies', 'anomaly_detected');
    expect(counted(c)).toEqual({
      'package:* package_update': 2,
      'package_updates package_update': 1,
      'package package_update': 1,
      'schedule:* schedule_progress': 1,
      'schedule:* schedule_completed': 1,
      'anomalies anomaly_detected': 1,
    });
  });

  it('does not mistake a topic that merely starts like another for it', () => {
    const c = new EventCounts();
    c.add('agents', 'agent_status');
    c.add('agents_extra', 'agent_status');
    c.add('agents:7', 'agent_status');
    expect(counted(c)).toEqual({
      'agents agent_status': 1,
      'agents_extra agent_status': 1,
      'agents:* agent_status': 1,
    });
  });

  it('names families as topicFamily does', () => {
    expect(topicFamily('package:TN1')).toBe('package:*');
    expect(topicFamily('dashboard_metrics')).toBe('dashboard_metrics');
  });
});
