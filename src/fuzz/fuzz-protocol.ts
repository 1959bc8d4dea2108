import type { FuzzLoopOptions, FuzzLoopResult } from './fuzz-loop.js';
import type { FuzzFailure } from './reproducer.js';

/** What run-fuzz.ts hands each worker. */
export interface FuzzWorkerData extends Omit<FuzzLoopOptions, 'onCaseStart' | 'onProgress' | 'onFailure'> {
  /** Slot `worker` of this Float64Array holds the index of the case running now (the watchdog reads it). */
  current: SharedArrayBuffer;
  worker: number;
}

/** Messages a worker posts to the runner. */
export type FuzzWorkerMessage =
  | { type: 'progress'; done: number; failures: number }
  | { type: 'failure'; failure: FuzzFailure }
  | { type: 'done'; result: FuzzLoopResult };
