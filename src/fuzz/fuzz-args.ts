import { parseArgs } from 'node:util';

export interface FuzzArgs {
  help: boolean;
  iterations: number;
  seed: number;
  timeLimitSeconds: number | undefined;
  workers: number;
  outDir: string;
  caseTimeoutSeconds: number;
  maxFailures: number;
  caseIndex: number | undefined;
  replay: string | undefined;
  chunkSize: number | undefined;
  streamChunkSize: number | undefined;
  gzip: boolean;
}

export const FUZZ_HELP = `Usage: npm run fuzz -- [options]

Runs the robustness properties of test/robustness (reader -> decoder -> dissector -> analyzer,
writer round trip) on generated inputs: mutated seed captures, random records, random bytes,
corrupt gzip, writer round trips.

  --iterations N          inputs to run (default 10000)
  --seed S                seed of the generator (default: chosen at random and printed)
  --time-limit SECONDS    start no new input after this long
  --workers N             worker threads (default 1)
  --out DIR               where reproducers are written (default fuzz-failures)
  --case-timeout SECONDS  an input without a result after this long is a hang (default 60)
  --max-failures N        stop after N failures (default 10)
  --case N                regenerate and run only case N of --seed, printing how it was made
  --replay FILE           check one capture file, read with --chunk-size N, --stream-chunk-size N
                          (pieces of the input, recycled like the file reader's buffers) and
                          --gzip; read in pieces or gzipped it must give what reading it whole gives

Exit status: 0 no failure, 1 some input failed (reproducers written), 2 usage error.
`;

/** Parses the runner's options; throws an Error with a one-line message on bad usage. */
export function parseFuzzArgs(argv: string[]): FuzzArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      iterations: { type: 'string' },
      seed: { type: 'string' },
      'time-limit': { type: 'string' },
      workers: { type: 'string' },
      out: { type: 'string' },
      'case-timeout': { type: 'string' },
      'max-failures': { type: 'string' },
      case: { type: 'string' },
      replay: { type: 'string' },
      'chunk-size': { type: 'string' },
      'stream-chunk-size': { type: 'string' },
      gzip: { type: 'boolean' },
    },
  });
  const integer = (name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  const seconds = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number of seconds, got ${JSON.stringify(text)}`);
    return value;
  };
  return {
    help: values.help === true,
    iterations: integer('iterations', values.iterations, 1) ?? 10_000,
    seed: integer('seed', values.seed, 0, 0xffffffff) ?? Math.floor(Math.random() * 0x100000000),
    timeLimitSeconds: seconds('time-limit', values['time-limit']),
    workers: integer('workers', values.workers, 1, 64) ?? 1,
    outDir: values.out ?? 'fuzz-failures',
    caseTimeoutSeconds: seconds('case-timeout', values['case-timeout']) ?? 60,
    maxFailures: integer('max-failures', values['max-failures'], 1) ?? 10,
    caseIndex: integer('case', values.case, 0),
    replay: values.replay,
    chunkSize: integer('chunk-size', values['chunk-size'], 1),
    streamChunkSize: integer('stream-chunk-size', values['stream-chunk-size'], 1),
    gzip: values.gzip === true,
  };
}
