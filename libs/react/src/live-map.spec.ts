import { adoptLoaded, byVersion, emptyLiveMap, upsertLive } from './live-map.js';

interface Item {
  id: string;
  status: string;
  version?: number;
}
const keyOf = (i: Item) => i.id;

describe('live-map: merging REST reads and events without stepping back', () => {
  it('byVersion: the higher version wins; without versions the later arrival does', () => {
    expect(byVersion({ version: 3 }, { version: 2 })).toBe(true);
    expect(byVersion({ version: 2 }, { version: 2 })).toBe(true);
    expect(byVersion({ version: 1 }, { version: 2 })).toBe(false);
    expect(byVersion({}, { version: 2 })).toBe(true);
    expect(byVersion({ version: 1 }, {})).toBe(true);
  });

  it('upsertLive ignores an older version and keeps the newest change last', () => {
    let s = emptyLiveMap<Item>();
    s = upsertLive(s, 'a', { id: 'a', status: 'picked_up', version: 2 });
    s = upsertLive(s, 'b', { id: 'b', status: 'created', version: 1 });
    const before = s;
    s = upsertLive(s, 'a', { id: 'a', status: 'created', version: 1 });
    expect(s).toBe(before);
    s = upsertLive(s, 'a', { id: 'a', status: 'in_transit', version: 3 });
    expect([...s.map.values()]).toEqual([
      { id: 'b', status: 'created', version: 1 },
      { id: 'a', status: 'in_transit', version: 3 },
    ]);
  });

  it('upsertLive drops the oldest entry beyond the limit', () => {
    let s = emptyLiveMap<Item>();
    for (const id of ['a', 'b', 'c']) s = upsertLive(s, id, { id, status: 'created' }, byVersion, 2);
    expect([...s.map.keys()]).toEqual(['b', 'c']);
  });

  it('adoptLoaded: the read replaces the state, except items the state holds newer', () => {
    let held = emptyLiveMap<Item>();
    held = upsertLive(held, 'a', { id: 'a', status: 'delivered', version: 5 });
    held = upsertLive(held, 'gone', { id: 'gone', status: 'created', version: 1 });
    const next = adoptLoaded(
      [
        { id: 'a', status: 'in_transit', version: 4 },
        { id: 'c', status: 'created', version: 1 },
      ],
      keyOf,
      held,
    );
    expect([...next.map.values()]).toEqual([
      { id: 'a', status: 'delivered', version: 5 },
      { id: 'c', status: 'created', version: 1 },
    ]);
    expect(next.revision).toBeGreaterThan(held.revision);
  });
});
