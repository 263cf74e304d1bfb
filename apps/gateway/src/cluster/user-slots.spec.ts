import { UserSlots } from './user-slots.js';

const all = (s: UserSlots): string[] => [...s.entries()].map(([u, c]) => `${u}/${c}`).sort();

describe('UserSlots', () => {
  it('counts, lists and releases one and several connections per user', () => {
    const s = new UserSlots();
    expect(s.tryAcquire('alice', 'c1', 2)).toBe(true);
    expect(s.tryAcquire('alice', 'c1', 2)).toBe(true); // holding it already is success
    expect(s.count('alice')).toBe(1);
    expect(s.tryAcquire('alice', 'c2', 2)).toBe(true);
    expect(s.tryAcquire('alice', 'c3', 2)).toBe(false);
    expect(s.tryAcquire('bob', 'c4', 2)).toBe(true);
    expect(all(s)).toEqual(['alice/c1', 'alice/c2', 'bob/c4']);
    expect(s.has('alice', 'c2')).toBe(true);
    expect(s.has('alice', 'c4')).toBe(false);

    s.remove('alice', 'c1');
    expect(s.count('alice')).toBe(1);
    expect(s.has('alice', 'c2')).toBe(true);
    expect(s.tryAcquire('alice', 'c3', 2)).toBe(true);
    expect(all(s)).toEqual(['alice/c2', 'alice/c3', 'bob/c4']);

    s.remove('alice', 'c2');
    s.remove('alice', 'c3');
    s.remove('bob', 'nope'); // not held: nothing happens
    expect(s.count('alice')).toBe(0);
    expect(all(s)).toEqual(['bob/c4']);
    s.remove('bob', 'c4');
    expect(all(s)).toEqual([]);
  });

  it('adding the same connection twice keeps one slot', () => {
    const s = new UserSlots();
    s.add('u', 'c');
    s.add('u', 'c');
    expect(s.count('u')).toBe(1);
    s.add('u', 'd');
    s.add('u', 'd');
    expect(s.count('u')).toBe(2);
  });
});
