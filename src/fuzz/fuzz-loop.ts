import { describeError } from './pipeline-probe.js';
import type { FuzzCase } from './fuzz-case.js';
import { writeReproducer, type FuzzFailure } from './reproducer.js';

export interface FuzzLoopOptions {
  seed: number;
  /** Case indices first, first + step, … below `end`. */
  first: number;
  step: number;
  end: number;
  /** Stop starting new cases after this time (Date.now() milliseconds); 0 = never. */
  deadline: number;
  /** Where reproducers go. */
  outDir: string;
  /** Stop after this many failures. */
  maxFailures: number;
  /** Called with the index of each case before it runs (the watchdog's view). */
  onCaseStart?: (index: number) => void;
  /** Called about once a second. */
  onProgress?: (done: number, failures: number) => void;
  onFailure?: (failure: FuzzFailure) => void;
}

export interface FuzzLoopResult {
  done: number;
  failures: FuzzFailure[];
  slowestIndex: number;
  slowestMs: number;
  stoppedByDeadline: boolean;
}

/** How a case is made and checked: generateCase/runCase, or stand-ins in the runner's own tests. */
export interface FuzzCaseRunner {
  generate(seed: number, index: number): FuzzCase;
  run(fuzzCase: FuzzCase): Promise<string[]>;
}

const PROGRESS_INTERVAL_MS = 1000;

/** Runs cases one after the other, writing a reproducer for every failure. */
export async function runFuzzLoop(options: FuzzLoopOptions, runner: FuzzCaseRunner): Promise<FuzzLoopResult> {
  const failures: FuzzFailure[] = [];
  let done = 0;
  let slowestIndex = -1;
  let slowestMs = 0;
  let lastProgress = Date.now();
  for (let index = options.first; index < options.end; index += options.step) {
    if (options.deadline > 0 && Date.now() >= options.deadline) return { done, failures, slowestIndex, slowestMs, stoppedByDeadline: true };
    options.onCaseStart?.(index);
    const started = performance.now();
    let fuzzCase: FuzzCase | null = null;
    let violations: string[];
    try {
      fuzzCase = runner.generate(options.seed, index);
      violations = await runner.run(fuzzCase);
    } catch (error) {
      violations = [`${fuzzCase === null ? 'generating' : 'running'} the case threw ${describeError(error)}`];
    }
    const elapsed = performance.now() - started;
    if (elapsed > slowestMs) {
      slowestMs = elapsed;
      slowestIndex = index;
    }
    done++;
    if (violations.length > 0) {
      const failure = writeReproducer(options.outDir, options.seed, index, fuzzCase, violations);
      failures.push(failure);
      options.onFailure?.(failure);
      if (failures.length >= options.maxFailures) break;
    }
    if ((done & 63) === 0 && Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = Date.now();
      options.onProgress?.(done, failures.length);
    }
  }
  return { done, failures, slowestIndex, slowestMs, stoppedByDeadline: false };
}
