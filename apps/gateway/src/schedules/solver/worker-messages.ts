import type { SolverInput, SolverResult, SolverStep } from './types.js';

export interface WorkerRequest {
  jobId: string;
  input: SolverInput;
}

export type WorkerReply =
  | { kind: 'progress'; jobId: string; step: SolverStep; progress: number; message: string }
  | { kind: 'done'; jobId: string; result: SolverResult }
  | { kind: 'failed'; jobId: string; code: string; message: string; details: unknown };
