import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** What one run of `node bin/teredoscope.js …` did, and what it cost. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process, in MB. */
  maxRssMb: number;
  seconds: number;
  /** CPU time (user + system) of the CLI process: steadier than wall time on a loaded machine. */
  cpuSeconds: number;
}

/** The CLI under test; TEREDOSCOPE_TEST_BIN points the adversarial tests at another build. */
const BIN = resolve(process.env.TEREDOSCOPE_TEST_BIN ?? 'bin/teredoscope.js');
const scratch = mkdtempSync(join(tmpdir(), 'teredoscope-robustness-cli-'));
/**
 * Preloaded into the CLI process: writes its own peak RSS in kB when it exits. It reads VmHWM, the
 * high-water mark of the process's current memory image: getrusage's maxRSS would not do, since
 * Linux carries it over from the forked parent (the test worker, often hundreds of MB) across exec.
 */
const RSS_PROBE = join(scratch, 'rss-probe.mjs');
writeFileSync(
  RSS_PROBE,
  "import { readFileSync, writeFileSync } from 'node:fs';\n" +
    "process.on('exit', () => {\n" +
    "  const peak = /^VmHWM:\\s+(\\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));\n" +
    "  const { userCPUTime, systemCPUTime } = process.resourceUsage();\n" +
    "  writeFileSync(process.env.TEREDOSCOPE_RSS_FILE, `${peak === null ? 'NaN' : peak[1]} ${userCPUTime + systemCPUTime}`);\n" +
    "});\n",
);
let runs = 0;

/**
 * Runs the built CLI (the test suite runs after `npm run build`) with `args`. Standard output is
 * collected, or handed to `onStdout` piece by piece when it is too large to keep.
 */
export function runCli(
  args: string[],
  options: { onStdout?: (chunk: Buffer) => void; timeoutMs?: number; stdin?: Iterable<Uint8Array> } = {},
): Promise<CliRun> {
  const rssFile = join(scratch, `rss-${++runs}`);
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', RSS_PROBE, BIN, ...args], {
    env: { ...process.env, TEREDOSCOPE_RSS_FILE: rssFile, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 120_000,
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : stdout.push(chunk)));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // Standard input is empty unless given; then it is written piece by piece as the CLI reads, so
  // that it may be larger than the memory the CLI is allowed.
  const stdin = child.stdin;
  stdin.on('error', () => undefined);
  if (options.stdin === undefined) stdin.end();
  else {
    const pieces = options.stdin[Symbol.iterator]();
    const pump = (): void => {
      for (let piece = pieces.next(); piece.done !== true; piece = pieces.next()) if (!stdin.write(piece.value)) return void stdin.once('drain', pump);
      stdin.end();
    };
    pump();
  }
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      let maxRssMb = Number.NaN;
      let cpuSeconds = Number.NaN;
      try {
        const [peakKb, cpuMicroseconds] = readFileSync(rssFile, 'utf8').split(' ');
        maxRssMb = Number(peakKb) / 1024;
        cpuSeconds = Number(cpuMicroseconds) / 1e6;
      } catch {
        // No file: the process was killed before it could write one; NaN fails any bound.
      }
      resolveRun({
        status,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        maxRssMb,
        seconds: (performance.now() - started) / 1000,
        cpuSeconds,
      });
    });
  });
}
