import { ENDPOINTS, isEndpointPath } from './endpoints.js';
import {
  EVENT_TYPES,
  STATIC_TOPICS,
  TOPICS,
  conflationKey,
  hasSnapshot,
  isStoredTopic,
  parseTopic,
  topicCarries,
  type EventTypeOf,
  type SnapshotDataOf,
} from './topics.js';

describe('topics', () => {
  it.each([
    ['package_updates', { family: 'package_updates' }],
    ['package:TN-1.a_b', { family: 'package:', key: 'TN-1.a_b' }],
    ['schedule:42', { family: 'schedule:', key: '42' }],
    ['vehicle:van-1', { family: 'vehicle:', key: 'van-1' }],
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
    expect(
      ['package:A', 'schedule:B', 'dashboard_metrics', 'system_health', 'map_updates', 'vehicle:V'].every(hasSnapshot),
    ).toBe(true);
    expect(['anomalies', 'notifications', 'vehicle_positions', 'x'].some(hasSnapshot)).toBe(false);
  });

  it('the registry: static names, event types once each, stored topics as revision 2 lists them', () => {
    expect([...STATIC_TOPICS].sort()).toEqual(
      Object.keys(TOPICS)
        .filter((f) => !f.endsWith(':'))
        .sort(),
    );
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES).toContain('anomaly_acknowledged');
    const stored = ['package_updates', 'package:TN1', 'anomalies', 'notifications', 'schedule:S1'];
    expect(stored.every(isStoredTopic)).toBe(true);
    expect(
      ['map_updates', 'dashboard_metrics', 'agent_activity', 'system_health', 'vehicle:V', 'nope:1'].some(
        isStoredTopic,
      ),
    ).toBe(false);
  });

  it('conflation keys come from the declaration: per package, per topic, per vehicle, never elsewhere', () => {
    expect(conflationKey('map_updates', 'map_update', { packageId: 'p1' })).toBe('map_updates\np1');
    expect(conflationKey('dashboard_metrics', 'dashboard_metrics', {})).toBe('dashboard_metrics\n');
    expect(conflationKey('vehicle_positions', 'vehicle_position', { vehicleId: 'v1' })).toBe('vehicle_positions\nv1');
    expect(conflationKey('vehicle:v1', 'vehicle_position', { vehicleId: 'v1' })).toBeUndefined();
    expect(conflationKey('map_updates', 'map_update', {})).toBeUndefined();
    expect(conflationKey('package_updates', 'package_update', { packageId: 'p1' })).toBeUndefined();
  });

  it('types derive from the declarations: event types and snapshot data per topic name', () => {
    const types: EventTypeOf<'anomalies'>[] = ['anomaly_detected', 'anomaly_acknowledged', 'anomaly_resolved'];
    const snapshot: SnapshotDataOf<'vehicle:v1'> = { vehicleId: 'v1', latitude: 1, longitude: 2, reportedAt: 'x' };
    // @ts-expect-error an event-only topic has no snapshot data
    const none: SnapshotDataOf<'anomalies'> = { vehicleId: 'v1' };
    // @ts-expect-error a schedule topic does not carry package_update
    const wrong: EventTypeOf<'schedule:1'> = 'package_update';
    expect([types.length, snapshot.vehicleId, none, wrong]).toBeDefined();
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
