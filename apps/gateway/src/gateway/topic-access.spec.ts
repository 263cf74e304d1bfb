import type { Role } from '@tracklight/protocol';
import { SnapshotRegistry } from '../snapshots/snapshot-registry.js';
import { checkTopics, staticTopicAccess, topicAccess } from './topic-access.js';

const reader = (userId: string, ...roles: Role[]) => ({ userId, roles });

describe('topic authorization (docs/PROTOCOL.md section 4, who may read)', () => {
  let registry: SnapshotRegistry;
  beforeEach(() => {
    registry = new SnapshotRegistry();
  });

  it.each(['package_updates', 'package:TN1', 'map_updates', 'anomalies', 'dashboard_metrics', 'notifications'])(
    '%s: any user',
    async (topic) => {
      expect(await topicAccess(topic, reader('v', 'viewer'), registry)).toBe('allowed');
      expect(staticTopicAccess(topic, reader('v', 'viewer'))).toBe('allowed');
    },
  );

  it.each(['agent_activity', 'system_health'])('%s: ops and admin only', async (topic) => {
    expect(await topicAccess(topic, reader('v', 'viewer'), registry)).toBe('forbidden');
    expect(await topicAccess(topic, reader('o', 'ops'), registry)).toBe('allowed');
    expect(await topicAccess(topic, reader('a', 'admin'), registry)).toBe('allowed');
    expect(await topicAccess(topic, reader('x', 'viewer', 'ops'), registry)).toBe('allowed');
  });

  it.each(['nope', 'package:', 'schedule:', 'x:1'])('%s: unknown', async (topic) => {
    expect(await topicAccess(topic, reader('a', 'admin'), registry)).toBe('unknown');
    expect(staticTopicAccess(topic, reader('a', 'admin'))).toBe('unknown');
  });

  describe('schedule:{id}', () => {
    it('is unknown while no module resolves ownership', async () => {
      expect(await topicAccess('schedule:1', reader('a', 'admin'), registry)).toBe('unknown');
    });

    it('owner and admin may read; others forbidden; missing schedules unknown', async () => {
      registry.registerOwnership('schedule:', {
        ownerOf: (id) => Promise.resolve(id === '1' ? 'olga' : undefined),
      });
      expect(await topicAccess('schedule:1', reader('olga', 'viewer'), registry)).toBe('allowed');
      expect(await topicAccess('schedule:1', reader('ada', 'admin'), registry)).toBe('allowed');
      expect(await topicAccess('schedule:1', reader('otto', 'ops'), registry)).toBe('forbidden');
      expect(await topicAccess('schedule:2', reader('olga', 'viewer'), registry)).toBe('unknown');
    });

    it('the synchronous connect check leaves an owned family to the ownership lookup', () => {
      // Its declared roles (admin) add readers to the owner; they do not refuse a viewer owner.
      expect(staticTopicAccess('schedule:1', reader('olga', 'viewer'))).toBe('allowed');
      expect(staticTopicAccess('vehicle:v1', reader('v', 'viewer'))).toBe('allowed');
    });
  });

  it('checkTopics reports unknown and forbidden topics separately, in request order', async () => {
    const report = await checkTopics(
      ['anomalies', 'system_health', 'nope', 'agent_activity', 'bad:x'],
      reader('v', 'viewer'),
      registry,
    );
    expect(report).toEqual({ unknown: ['nope', 'bad:x'], forbidden: ['system_health', 'agent_activity'] });
  });
});
