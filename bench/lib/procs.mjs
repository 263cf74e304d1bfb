// Child processes of the runner (contender servers and the load generator), each pinned to one
// core with taskset and driven over its IPC channel with request/response messages.
import { spawn } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class Proc {
  /**
   * @param {string} name
   * @param {{ core: number, script: string, env?: Record<string, string | undefined>,
   *   nodeArgs?: string[], logDir: string }} options
   */
  constructor(name, { core, script, env = {}, nodeArgs = [], logDir }) {
    this.name = name;
    /** The scenario spec a runner started this server for (run.mjs). @type {any} */
    this.spec = undefined;
    /** @type {string | undefined} */
    this.contender = undefined;
    /** @type {number | undefined} */
    this.port = undefined;
    /** @type {number | undefined} */
    this.pid = undefined;
    this.pending = new Map();
    this.nextId = 1;
    mkdirSync(logDir, { recursive: true });
    const log = openSync(join(logDir, `${name}.log`), 'w');
    this.child = spawn('taskset', ['-c', String(core), process.execPath, ...nodeArgs, script], {
      stdio: ['ignore', log, log, 'ipc'],
      env: { ...process.env, ...env },
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s (see its log)`)), 60_000);
      this.child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it was ready (see ${logDir}/${name}.log)`));
      });
      this.child.on('message', (/** @type {import('./common.mjs').IpcMessage} */ msg) => {
        if (msg.ready) {
          clearTimeout(timer);
          this.port = msg.port;
          this.pid = msg.pid;
          resolve(this);
          return;
        }
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${name}: ${msg.error}`));
        else p.resolve(msg.result);
      });
    });
    this.child.once('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited`));
      this.pending.clear();
    });
  }

  /**
   * @param {string} cmd
   * @param {Record<string, unknown>} [args]
   * @returns {Promise<any>}
   */
  async call(cmd, args = {}) {
    await this.ready;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, cmd, ...args });
    });
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.call('exit').catch(() => {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
