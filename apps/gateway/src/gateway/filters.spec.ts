import type { BusEvent } from '../bus/event-bus.js';
import { compileFilters, inBbox } from './filters.js';

const event = (topic: string, data: Record<string, unknown>): BusEvent =>
  ({ id: '1-0', topic, type: 'map_update', data, timestamp: '' }) as unknown as BusEvent;

describe('filters', () => {
  describe('inBbox', () => {
    it('a plain box', () => {
      expect(inBbox([0, 40, 10, 50], 5, 45)).toBe(true);
      expect(inBbox([0, 40, 10, 50], 0, 40)).toBe(true);
      expect(inBbox([0, 40, 10, 50], 11, 45)).toBe(false);
      expect(inBbox([0, 40, 10, 50], 5, 51)).toBe(false);
    });

    it('a box crossing the antimeridian (west > east)', () => {
      expect(inBbox([170, -10, -170, 10], 175, 0)).toBe(true);
      expect(inBbox([170, -10, -170, 10], -175, 0)).toBe(true);
      expect(inBbox([170, -10, -170, 10], 180, 0)).toBe(true);
      expect(inBbox([170, -10, -170, 10], 0, 0)).toBe(false);
      expect(inBbox([170, -10, -170, 10], 175, 20)).toBe(false);
    });
  });

  it('no filter: every topic delivers everything', () => {
    const r = compileFilters(['anomalies', 'map_updates'], undefined);
    expect(r.ok && [...r.byTopic]).toEqual([
      ['anomalies', undefined],
      ['map_updates', undefined],
    ]);
  });

  it('splits keys over the topics that understand them', () => {
    const r = compileFilters(['map_updates', 'anomalies', 'package_updates', 'package:TN1'], {
      bbox: [0, 0, 10, 10],
      minSeverity: 'high',
      carrier: 'UPS',
    });
    if (!r.ok) throw new Error(r.message);
    const map = r.byTopic.get('map_updates')!;
    expect(map(event('map_updates', { longitude: 5, latitude: 5 }))).toBe(true);
    expect(map(event('map_updates', { longitude: 50, latitude: 5 }))).toBe(false);
    expect(map(event('map_updates', { longitude: 'x', latitude: 5 }))).toBe(false);
    const anomalies = r.byTopic.get('anomalies')!;
    expect(anomalies(event('anomalies', { severity: 'critical' }))).toBe(true);
    expect(anomalies(event('anomalies', { severity: 'medium' }))).toBe(false);
    expect(anomalies(event('anomalies', { severity: 'bogus' }))).toBe(false);
    const packages = r.byTopic.get('package_updates')!;
    expect(packages(event('package_updates', { carrier: 'UPS' }))).toBe(true);
    expect(packages(event('package_updates', { carrier: 'DHL' }))).toBe(false);
    expect(r.byTopic.get('package:TN1')).toBeUndefined();
  });

  it('carrier and status together must both match', () => {
    const r = compileFilters(['package_updates'], { carrier: 'UPS', status: ['delivered', 'exception'] });
    if (!r.ok) throw new Error(r.message);
    const p = r.byTopic.get('package_updates')!;
    expect(p(event('package_updates', { carrier: 'UPS', status: 'delivered' }))).toBe(true);
    expect(p(event('package_updates', { carrier: 'UPS', status: 'in_transit' }))).toBe(false);
    expect(p(event('package_updates', { carrier: 'DHL', status: 'delivered' }))).toBe(false);
  });

  it.each([
    ['a key no topic understands', ['anomalies'], { bbox: [0, 0, 1, 1] }],
    ['carrier on map_updates', ['map_updates'], { carrier: 'UPS' }],
    ['latitude out of range', ['map_updates'], { bbox: [0, -91, 1, 1] }],
    ['south above north', ['map_updates'], { bbox: [0, 5, 1, 1] }],
    ['unknown status', ['package_updates'], { status: ['lost'] }],
    ['a type the topic never carries', ['package:TN1'], { types: ['anomaly_resolved'] }],
    ['a type no topic of the request carries', ['anomalies', 'map_updates'], { types: ['notification'] }],
  ] as const)('refuses %s', (_name, topics, filter) => {
    const r = compileFilters([...topics], filter as never);
    expect(r.ok).toBe(false);
  });

  describe('types', () => {
    const typed = (topic: string, type: string, data: Record<string, unknown> = {}): BusEvent =>
      ({ id: '1-0', topic, type, data, timestamp: '' }) as unknown as BusEvent;

    it('delivers only the listed types', () => {
      const r = compileFilters(['anomalies'], { types: ['anomaly_resolved'] });
      if (!r.ok) throw new Error(r.message);
      const p = r.byTopic.get('anomalies')!;
      expect(p(typed('anomalies', 'anomaly_resolved'))).toBe(true);
      expect(p(typed('anomalies', 'anomaly_detected'))).toBe(false);
    });

    it('combines with the other keys of the same topic', () => {
      const r = compileFilters(['anomalies'], { types: ['anomaly_detected'], minSeverity: 'high' });
      if (!r.ok) throw new Error(r.message);
      const p = r.byTopic.get('anomalies')!;
      expect(p(typed('anomalies', 'anomaly_detected', { severity: 'critical' }))).toBe(true);
      expect(p(typed('anomalies', 'anomaly_detected', { severity: 'low' }))).toBe(false);
      expect(p(typed('anomalies', 'anomaly_resolved', { severity: 'critical' }))).toBe(false);
    });

    it('leaves a topic carrying none of the types unfiltered, like any key it does not understand', () => {
      const r = compileFilters(['anomalies', 'package_updates'], { types: ['anomaly_resolved'] });
      if (!r.ok) throw new Error(r.message);
      expect(r.byTopic.get('package_updates')).toBeUndefined();
      expect(r.byTopic.get('anomalies')).toBeDefined();
    });
  });
});
