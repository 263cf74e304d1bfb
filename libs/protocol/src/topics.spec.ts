import { ENDPOINTS, isEndpointPath } from './endpoints.js';
import { hasSnapshot, parseTopic, topicCarries } from './topics.js';

describe('topics', () => {
  it.each([
    ['package_updates', { family: 'package_updates' }],
    ['package:TN-1.a_b', { family: 'package:', key: 'TN-1.a_b' }],
    ['schedule:42', { family: 'schedule:', key: '42' }],
  ])('parses %s', (name, parsed) => {
    expect(parseTopic(name)).toEqual(parsed);
  });

  it.each(['', 'nope', 'package:', 'package:-x', 'package:a b', 'schedule:', 'other:1', `package:${'a'.repeat(101)}`])(
    'refuses %j',
    (name) => {
      expect(parseTopic(name)).toBeUndefined();
    },
  );

  it('knows which topics carry which events and which have snapshots', () => {
    expect(topicCarries('package:TN1', 'package_update')).toBe(true);
    expect(topicCarries('anomalies', 'package_update')).toBe(false);
    expect(topicCarries('schedule:1', 'schedule_failed')).toBe(true);
    expect(['package:A', 'schedule:B', 'dashboard_metrics', 'system_health', 'map_updates'].every(hasSnapshot)).toBe(
      true,
    );
    expect(['anomalies', 'notifications', 'x'].some(hasSnapshot)).toBe(false);
  });

  it('endpoints: the five paths of the contract only', () => {
    expect(Object.keys(ENDPOINTS).sort()).toEqual([
      '/ws/agents',
      '/ws/connect',
      '/ws/dashboard',
      '/ws/map',
      '/ws/packages',
    ]);
    expect(isEndpointPath('/ws/packages')).toBe(true);
    expect(isEndpointPath('/ws/packages/')).toBe(false);
    expect(isEndpointPath('toString')).toBe(false);
  });
});
