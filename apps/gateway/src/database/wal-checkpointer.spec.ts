import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../../test/support/wait.js';
import { WalCheckpointer } from './wal-checkpointer.js';

describe('WalCheckpointer', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;
  const autocheckpoint = () => db.pragma('wal_autocheckpoint', { simple: true }) as number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracklight-wal-'));
    file = join(dir, 'db.sqlite');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeRows(n: number): void {
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < n; i++) insert.run('x'.repeat(500));
    })();
  }

  it('turns off checkpointing in the application connection and copies the WAL from its own thread', async () => {
    const checkpointer = new WalCheckpointer(db, file, 20);
    await waitFor(() => autocheckpoint() === 0, 5000, 'the worker to take over');
    expect(checkpointer.running).toBe(true);
    const before = statSync(file).size;
    // 10,000 rows of 500 bytes, about 1,300 pages: past the 1,000 WAL pages after which the
    // connection would have checkpointed for itself, so only the worker can have grown the file.
    writeRows(10_000);
    await waitFor(() => (checkpointer.last?.checkpointed ?? 0) > 1000, 5000, 'a checkpoint of the new frames');
    expect(statSync(file).size).toBeGreaterThan(before + 4_000_000);
    await checkpointer.stop();
    expect(checkpointer.running).toBe(false);
    expect(autocheckpoint()).toBe(1000);
    const reopened = new Database(file, { readonly: true });
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 10_000 });
    reopened.close();
  });

  it('leaves checkpointing to the application connection when the worker cannot open the file', async () => {
    const checkpointer = new WalCheckpointer(db, join(dir, 'missing.sqlite'), 20);
    writeRows(10);
    // The worker fails on open: the connection keeps (or gets back) its own checkpoints.
    await new Promise((r) => setTimeout(r, 500));
    expect(autocheckpoint()).toBe(1000);
    expect(checkpointer.last).toBeUndefined();
    expect(checkpointer.running).toBe(false);
    await checkpointer.stop();
  });
});
