import {
  TOPICS,
  topicDeclaration,
  type OwnedFamily,
  type SnapshotFamily,
  type TopicFamily,
} from '@tracklight/protocol';
import { SnapshotRegistry } from '../../apps/gateway/src/snapshots/snapshot-registry.js';
import { startApp, type TestApp } from '../support/app.js';

/**
 * The topic registry (libs/protocol/src/topic-registry.ts) against the running application: a
 * family that declares a snapshot or an ownership hook but whose module forgot to register it
 * fails here by name, instead of silently sending no snapshot or answering UNKNOWN_TOPIC.
 */
describe('every declared snapshot and ownership hook is served by a module', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const families = Object.keys(TOPICS) as TopicFamily[];

  it.each(families.filter((f) => topicDeclaration(f).snapshot))('%s has a snapshot provider', (family) => {
    expect(t.app.get(SnapshotRegistry).provides(family as SnapshotFamily)).toBe(true);
  });

  it.each(families.filter((f) => topicDeclaration(f).read?.owner))('%s has an ownership resolver', (family) => {
    expect(t.app.get(SnapshotRegistry).ownershipResolver(family as OwnedFamily)).toBeDefined();
  });
});
