import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { buildCorpus, type CorpusEntry } from './corpus.js';
import { parseFuzzArgs, FUZZ_HELP, type FuzzArgs } from './fuzz-args.js';
import { describeOptions, generateCase, runCase } from './fuzz-case.js';
import type { FuzzLoopResult } from './fuzz-loop.js';
import type { FuzzWorkerData, FuzzWorkerMessage } from './fuzz-protocol.js';
import { runPipeline } from './pipeline-check.js';
import { caseRandom } from './random.js';
import { writeReproducer, type FuzzFailure } from './reproducer.js';

/*
 * `npm run fuzz -- --iterations N [--seed S] [--time-limit SECONDS] [--workers N]`: the robustness
 * properties of the test suite (test/robustness) at scale. Progress goes to standard error, one
 * summary line to standard output; the exit status is 1 when any input failed, and every failure
 * leaves a reproducer (the input bytes and a note with seed, case index and what broke).
 */

const PROGRESS_INTERVAL_MS = 10_000;

async function main(argv: string[]): Promise<number> {
  let args: FuzzArgs;
  try {
    args = parseFuzzArgs(argv);
  } catch (error) {
    process.stderr.write(`fuzz: ${(error as Error).message}\n${FUZZ_HELP}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(FUZZ_HELP);
    return 0;
  }
  if (args.replay !== undefined) return replay(args.replay, args);
  if (args.caseIndex !== undefined) return runOneCase(args);
  return runAll(args);
}

/**
 * Checks one capture file; prints what the pipeline made of it. When it is read in pieces or
 * gzipped, the result must also equal that of reading it whole.
 */
async function replay(file: string, args: FuzzArgs): Promise<number> {
  const bytes = new Uint8Array(readFileSync(file));
  const options = { chunkSize: args.chunkSize, streamChunkSize: args.streamChunkSize, gzip: args.gzip };
  const outcome = await runPipeline(bytes, options);
  process.stdout.write(
    `${file}: ${outcome.records} records, ${outcome.teredoPackets} Teredo packets, ` +
      `${outcome.error === null ? 'read to the end' : `${outcome.error.kind}: ${outcome.error.message}`} (${describeOptions(options)})\n`,
  );
  const violations = [...outcome.violations];
  if (options.chunkSize !== undefined || options.streamChunkSize !== undefined || options.gzip) {
    const whole = await runPipeline(bytes, { analyze: false });
    if (whole.digest !== outcome.digest) {
      violations.push(`read whole: ${whole.records} records, ${whole.teredoPackets} Teredo packets, error ${JSON.stringify(whole.error?.message ?? null)}: a different result`);
    }
  }
  for (const violation of violations) process.stdout.write(`VIOLATION ${violation}\n`);
  return violations.length > 0 ? 1 : 0;
}

/** Regenerates and runs case `--case` of `--seed`, printing how it was made. */
async function runOneCase(args: FuzzArgs): Promise<number> {
  const index = args.caseIndex!;
  const fuzzCase = generateCase(caseRandom(args.seed, index), buildCorpus());
  process.stdout.write(`seed ${args.seed}, case ${index}: ${fuzzCase.kind}, ${fuzzCase.input.length} bytes, read with ${describeOptions(fuzzCase.options)}\n`);
  for (const note of fuzzCase.notes) process.stdout.write(`  ${note}\n`);
  const violations = await runCase(fuzzCase);
  if (violations.length === 0) {
    process.stdout.write('passed\n');
    return 0;
  }
  const failure = writeReproducer(args.outDir, args.seed, index, fuzzCase, violations);
  for (const violation of violations) process.stdout.write(`VIOLATION ${violation}\n`);
  process.stdout.write(`reproducer: ${failure.notesFile}\n`);
  return 1;
}

interface WorkerState {
  worker: Worker;
  done: number;
  finished: boolean;
  lastIndex: number;
  lastChange: number;
}

async function runAll(args: FuzzArgs): Promise<number> {
  const started = Date.now();
  const current = new Float64Array(new SharedArrayBuffer(8 * args.workers)).fill(-1);
  const failures: FuzzFailure[] = [];
  const results: FuzzLoopResult[] = [];
  let corpus: CorpusEntry[] | null = null;
  let hangs = 0;
  process.stderr.write(
    `fuzz: ${args.iterations.toLocaleString('en')} inputs, seed ${args.seed}, ${args.workers} worker${args.workers === 1 ? '' : 's'}` +
      `${args.timeLimitSeconds !== undefined ? `, time limit ${args.timeLimitSeconds} s` : ''}\n`,
  );

  const states: WorkerState[] = [];
  const finished = new Promise<void>((resolve) => {
    const settle = (): void => {
      if (states.every((state) => state.finished)) resolve();
    };
    for (let w = 0; w < args.workers; w++) {
      const data: FuzzWorkerData = {
        seed: args.seed,
        first: w,
        step: args.workers,
        end: args.iterations,
        deadline: args.timeLimitSeconds !== undefined ? started + args.timeLimitSeconds * 1000 : 0,
        outDir: args.outDir,
        maxFailures: args.maxFailures,
        current: current.buffer as SharedArrayBuffer,
        worker: w,
      };
      const state: WorkerState = { worker: new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: data }), done: 0, finished: false, lastIndex: -1, lastChange: Date.now() };
      states.push(state);
      state.worker.on('message', (message: FuzzWorkerMessage) => {
        if (message.type === 'progress') state.done = message.done;
        else if (message.type === 'failure') reportFailure(message.failure, failures);
        else {
          state.done = message.result.done;
          results.push(message.result);
          state.finished = true;
          void state.worker.terminate();
          settle();
        }
      });
      state.worker.on('error', (error) => {
        reportFailure({ seed: args.seed, index: current[w], kind: 'worker', violations: [`worker crashed: ${error.stack ?? error.message}`], inputFile: null, notesFile: '-' }, failures);
        state.finished = true;
        settle();
      });
    }
  });

  // The watchdog: a case that shows no end within the case timeout is a hang.
  let lastProgress = Date.now();
  const watchdog = setInterval(() => {
    const now = Date.now();
    states.forEach((state, w) => {
      if (state.finished) return;
      if (current[w] !== state.lastIndex) {
        state.lastIndex = current[w];
        state.lastChange = now;
      } else if (current[w] >= 0 && now - state.lastChange > args.caseTimeoutSeconds * 1000) {
        // -1: the worker is still building its corpus. Otherwise its case `index` never ended.
        const index = current[w];
        let hung = null;
        try {
          corpus ??= buildCorpus();
          hung = generateCase(caseRandom(args.seed, index), corpus);
        } catch {
          // Its generation is what hangs or throws: the note says so without the bytes.
        }
        reportFailure(writeReproducer(args.outDir, args.seed, index, hung, [`no result after ${args.caseTimeoutSeconds} s: the case hangs`]), failures);
        hangs++;
        void state.worker.terminate();
        // The cases of this worker before the hung one all ran.
        const done = Math.floor((index - w) / args.workers);
        state.worker.emit('message', { type: 'done', result: { done, failures: [], slowestIndex: index, slowestMs: now - state.lastChange, stoppedByDeadline: false } });
      }
    });
    if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = now;
      const done = states.reduce((sum, state) => sum + state.done, 0);
      const seconds = (now - started) / 1000;
      const rate = done / seconds;
      const eta = rate > 0 ? Math.max(0, (args.iterations - done) / rate) : 0;
      process.stderr.write(`fuzz: ${done.toLocaleString('en')} / ${args.iterations.toLocaleString('en')} inputs, ${failures.length} failures, ${rate.toFixed(0)}/s, ${seconds.toFixed(0)} s, ETA ${eta.toFixed(0)} s\n`);
    }
  }, 1000);
  await finished;
  clearInterval(watchdog);

  const seconds = (Date.now() - started) / 1000;
  const done = results.reduce((sum, result) => sum + result.done, 0);
  const slowest = results.reduce((worst, result) => (result.slowestMs > worst.slowestMs ? result : worst), { slowestMs: 0, slowestIndex: -1 });
  const stopped = results.some((result) => result.stoppedByDeadline) ? ' (time limit reached)' : '';
  process.stderr.write(`fuzz: slowest input: case ${slowest.slowestIndex}, ${slowest.slowestMs.toFixed(1)} ms${hangs > 0 ? `; ${hangs} hung` : ''}\n`);
  process.stdout.write(`fuzz: ${done} inputs, ${failures.length} failures, ${seconds.toFixed(1)} s (seed ${args.seed})${stopped}\n`);
  return failures.length > 0 ? 1 : 0;
}

function reportFailure(failure: FuzzFailure, failures: FuzzFailure[]): void {
  failures.push(failure);
  const first = failure.violations[0]?.split('\n')[0] ?? '';
  process.stderr.write(`fuzz: FAILED seed ${failure.seed} case ${failure.index} (${failure.kind}): ${first}\n  reproducer: ${failure.notesFile}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fuzz: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
