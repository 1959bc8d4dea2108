import { parentPort, workerData } from 'node:worker_threads';
import { buildCorpus } from './corpus.js';
import { generateCase, runCase } from './fuzz-case.js';
import type { FuzzWorkerData, FuzzWorkerMessage } from './fuzz-protocol.js';
import { runFuzzLoop } from './fuzz-loop.js';
import { caseRandom } from './random.js';

/*
 * A fuzz worker: runs its share of the cases and reports to run-fuzz.ts, which watches it for
 * hangs (a synchronous endless loop cannot be interrupted from inside the thread that runs it).
 */

const data = workerData as FuzzWorkerData;
const port = parentPort!;
const current = new Float64Array(data.current);
const post = (message: FuzzWorkerMessage): void => port.postMessage(message);
const corpus = buildCorpus();

/** Self-test of the runner's watchdog only: the case with this index never ends. */
const hangAt = Number(process.env.TEREDOSCOPE_FUZZ_HANG_AT ?? -1);

const result = await runFuzzLoop(
  {
    ...data,
    onCaseStart: (index) => {
      current[data.worker] = index;
    },
    onProgress: (done, failures) => post({ type: 'progress', done, failures }),
    onFailure: (failure) => post({ type: 'failure', failure }),
  },
  {
    generate: (seed, index) => {
      while (index === hangAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      return generateCase(caseRandom(seed, index), corpus);
    },
    run: runCase,
  },
);
post({ type: 'done', result });
