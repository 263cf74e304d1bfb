import { Worker } from 'node:worker_threads';
import type { SolverInput, SolverResult, SolverStep } from './types.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';
import { solverWorkerUrl } from './worker-script.js';

export type JobOutcome =
  | { kind: 'done'; result: SolverResult }
  | { kind: 'failed'; code: string; message: string; details: unknown }
  | { kind: 'cancelled' };

export interface JobHandlers {
  /** The job left the queue and a worker started on it. */
  onStart(): void;
  onProgress(step: SolverStep, progress: number, message: string): void;
}

interface Job extends JobHandlers {
  id: string;
  input: SolverInput;
  finish(outcome: JobOutcome): void;
}

interface Slot {
  worker?: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

/**
 * A fixed number of worker threads running the solver, one job each, FIFO queue in front. A
 * cancelled or timed-out job's worker is terminated (the solver is CPU-bound and never yields, so
 * a signal could not be seen) and a fresh worker takes its slot on the next job.
 */
export class SolverPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(
    size: number,
    private readonly timeoutMs: number,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => ({}));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Compiles or locates the worker script ahead of the first job. */
  async warmUp(): Promise<void> {
    await solverWorkerUrl();
  }

  run(id: string, input: SolverInput, handlers: JobHandlers): Promise<JobOutcome> {
    if (this.closed)
      return Promise.resolve({ kind: 'failed', code: 'SHUTDOWN', message: 'Shutting down', details: {} });
    return new Promise((resolve) => {
      this.queue.push({ id, input, ...handlers, finish: resolve });
      void this.dispatch();
    });
  }

  /** Ends a queued or running job with `cancelled`; false when this pool does not hold it. */
  cancel(id: string): boolean {
    const queued = this.queue.findIndex((j) => j.id === id);
    if (queued >= 0) {
      const [job] = this.queue.splice(queued, 1);
      job.finish({ kind: 'cancelled' });
      return true;
    }
    const slot = this.slots.find((s) => s.job?.id === id);
    if (!slot) return false;
    this.abort(slot, { kind: 'cancelled' });
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const shutdown: JobOutcome = { kind: 'failed', code: 'SHUTDOWN', message: 'The gateway shut down', details: {} };
    for (const job of this.queue.splice(0)) job.finish(shutdown);
    const exits: Promise<number>[] = [];
    for (const slot of this.slots) {
      const worker = slot.worker;
      slot.worker = undefined;
      if (worker) exits.push(worker.terminate());
      if (slot.job) this.settle(slot, shutdown);
    }
    await Promise.all(exits);
  }

  private async dispatch(): Promise<void> {
    let url: URL;
    try {
      url = await solverWorkerUrl();
    } catch (err) {
      // Without a loadable worker no job can run: fail them rather than leave them queued forever.
      const message = `The solver worker cannot be loaded: ${err instanceof Error ? err.message : String(err)}`;
      for (const job of this.queue.splice(0))
        job.finish({ kind: 'failed', code: 'SOLVER_ERROR', message, details: {} });
      return;
    }
    for (const slot of this.slots) {
      if (this.closed || !this.queue.length) return;
      if (slot.job) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const worker = (slot.worker ??= this.spawn(slot, url));
      slot.timer = setTimeout(
        () =>
          this.abort(slot, {
            kind: 'failed',
            code: 'TIMEOUT',
            message: `Planning took longer than ${this.timeoutMs} ms`,
            details: { timeoutMs: this.timeoutMs },
          }),
        this.timeoutMs,
      );
      job.onStart();
      worker.postMessage({ jobId: job.id, input: job.input } satisfies WorkerRequest);
    }
  }

  private spawn(slot: Slot, url: URL): Worker {
    const worker = new Worker(url);
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (slot.worker !== worker || !job || job.id !== reply.jobId) return;
      switch (reply.kind) {
        case 'progress':
          job.onProgress(reply.step, reply.progress, reply.message);
          return;
        case 'done':
          this.settle(slot, { kind: 'done', result: reply.result });
          return;
        case 'failed':
          this.settle(slot, { kind: 'failed', code: reply.code, message: reply.message, details: reply.details });
          return;
      }
    });
    const lost = (why: string) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      if (slot.job)
        this.settle(slot, { kind: 'failed', code: 'SOLVER_ERROR', message: why, details: { message: why } });
    };
    worker.on('error', (err) => lost(`The solver crashed: ${err.message}`));
    worker.on('exit', (code) => lost(`The solver exited with code ${code}`));
    return worker;
  }

  private abort(slot: Slot, outcome: JobOutcome): void {
    const worker = slot.worker;
    slot.worker = undefined;
    void worker?.terminate();
    this.settle(slot, outcome);
  }

  private settle(slot: Slot, outcome: JobOutcome): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    job?.finish(outcome);
    void this.dispatch();
  }
}
