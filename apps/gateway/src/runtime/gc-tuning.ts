import { setFlagsFromString } from 'node:v8';

/**
 * Fixes how far V8 lets the old generation grow past what a full collection left alive.
 *
 * V8 picks that factor from how fast its main thread marks, and most marking runs on helper
 * threads, so on a gateway it measured fast marking and chose about 1.3. Then the headroom (30 %
 * of a live heap of 75 MB under docs/benchmarks.md S4's 10,000 connections) is below the young generation's size,
 * which is the point where V8 starts the next marking: full collections ran back to back, each
 * about 300 ms of helper-thread CPU. On a gateway given one core (a container CPU limit, or the
 * benchmark's taskset) those helpers take that core from the event loop: a third of the CPU went
 * to the collector (docs/benchmarks.md, S4). A fixed factor of 2 (100 %) trades memory, up to
 * twice the live heap, for collections that start only when there is garbage to collect.
 *
 * The flag is read afresh at each collection, so setting it at startup takes effect.
 */
export function tuneGarbageCollector(heapGrowingPercent: number): void {
  if (heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${heapGrowingPercent}`);
}
