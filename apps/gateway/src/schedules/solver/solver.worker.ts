import { parentPort } from 'node:worker_threads';
import { solve } from './solve.js';
import { SolverError } from './types.js';
import type { WorkerReply, WorkerRequest } from './worker-messages.js';

/** Worker thread entry: solves one job at a time and reports progress back to the pool. */
const port = parentPort;
if (!port) throw new Error('solver.worker must run in a worker thread');

port.on('message', (msg: WorkerRequest) => {
  const send = (reply: WorkerReply) => port.postMessage(reply);
  try {
    const result = solve(msg.input, (step, progress, message) =>
      send({ kind: 'progress', jobId: msg.jobId, step, progress, message }),
    );
    send({ kind: 'done', jobId: msg.jobId, result });
  } catch (err) {
    if (err instanceof SolverError) {
      send({ kind: 'failed', jobId: msg.jobId, code: err.code, message: err.message, details: err.details });
    } else {
      const message = err instanceof Error ? err.message : String(err);
      send({ kind: 'failed', jobId: msg.jobId, code: 'SOLVER_ERROR', message, details: { message } });
    }
  }
});
