import { ExpirySchedule, type Expiring } from './expiry-schedule.js';

interface Item extends Expiring {
  name: string;
  expiresAtMs: number;
}

const item = (name: string, expiresAtMs: number): Item => ({ name, expiresAtMs, expirySlot: -1 });
const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ExpirySchedule', () => {
  it('hands over each item once its deadline passed, earliest first', async () => {
    const fired: { name: string; late: number }[] = [];
    const schedule = new ExpirySchedule<Item>((i) => fired.push({ name: i.name, late: Date.now() - i.expiresAtMs }));
    const t0 = Date.now();
    for (const [name, at] of [
      ['c', 60],
      ['a', 20],
      ['b', 40],
    ] as const)
      schedule.set(item(name, t0 + at));
    await tick(10);
    expect(fired).toEqual([]);
    await tick(90);
    expect(fired.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    for (const f of fired) expect(f.late).toBeGreaterThanOrEqual(0);
    expect(schedule.size).toBe(0);
  });

  it('a deleted item never fires, and the next deadline still does', async () => {
    const fired: string[] = [];
    const schedule = new ExpirySchedule<Item>((i) => fired.push(i.name));
    const t0 = Date.now();
    const first = item('first', t0 + 15);
    schedule.set(first);
    schedule.set(item('second', t0 + 30));
    schedule.delete(first);
    schedule.delete(first);
    await tick(60);
    expect(fired).toEqual(['second']);
    expect(first.expirySlot).toBe(-1);
  });

  it('a moved deadline (a refreshed token) fires at the new time, not the old one', async () => {
    const fired: string[] = [];
    const schedule = new ExpirySchedule<Item>((i) => fired.push(i.name));
    const t0 = Date.now();
    const refreshed = item('refreshed', t0 + 15);
    schedule.set(refreshed);
    refreshed.expiresAtMs = t0 + 80;
    schedule.set(refreshed);
    await tick(40);
    expect(fired).toEqual([]);
    await tick(70);
    expect(fired).toEqual(['refreshed']);
  });

  it('keeps deadline order through many inserts, moves and deletes', async () => {
    let now = 0;
    const fired: Item[] = [];
    const schedule = new ExpirySchedule<Item>(
      (i) => fired.push(i),
      () => now,
    );
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const items = Array.from({ length: 500 }, (_, k) => item(String(k), 1e9 + Math.floor(random() * 1e6)));
    for (const i of items) schedule.set(i);
    const deleted = new Set<Item>();
    for (let k = 0; k < 300; k++) {
      const i = items[Math.floor(random() * items.length)];
      if (random() < 0.5) {
        schedule.delete(i);
        deleted.add(i);
      } else {
        i.expiresAtMs = 1e9 + Math.floor(random() * 1e6);
        schedule.set(i);
        deleted.delete(i);
      }
    }
    now = 2e9;
    schedule.set(item('now', 0));
    await tick();
    const expected = items.filter((i) => !deleted.has(i)).sort((a, b) => a.expiresAtMs - b.expiresAtMs);
    expect(fired.map((i) => i.expiresAtMs)).toEqual([0, ...expected.map((i) => i.expiresAtMs)]);
    expect(new Set(fired).size).toBe(fired.length);
    expect(schedule.size).toBe(0);
  });

  it('clear() stops the timer', async () => {
    const fired: string[] = [];
    const schedule = new ExpirySchedule<Item>((i) => fired.push(i.name));
    schedule.set(item('x', Date.now() + 10));
    schedule.clear();
    await tick(30);
    expect(fired).toEqual([]);
  });
});
