import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One run of a command in a child process. */
export interface ChildRun {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** Peak resident set size in KiB, or null when it could not be measured. */
  peakRssKiB: number | null;
  /** User + system CPU seconds of the child (GNU time only, else null): steadier than wall time on a busy machine. */
  cpuSeconds: number | null;
  exitCode: number | null;
  /** Standard output, unless it went to /dev/null. */
  stdout: string;
  stderr: string;
}

/**
 * How peak RSS is taken: GNU time's %M (the kernel's maxrss of the child at exit, exact), else
 * polling VmHWM in /proc/<pid>/status (the high-water mark itself, read until the child exits;
 * the last reading is at most one poll interval short of the end), else not at all.
 */
export type RssMethod = 'gnu-time' | 'proc-vmhwm' | 'none';

const GNU_TIME = '/usr/bin/time';
/** Peak RSS (KiB), user and system CPU seconds. */
const TIME_FORMAT = '%M %U %S';
const TIME_LINE = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;
const POLL_MS = 10;

export function detectRssMethod(): RssMethod {
  const probe = spawnSync(GNU_TIME, ['-f', TIME_FORMAT, 'true'], { encoding: 'utf8' });
  if (probe.status === 0 && TIME_LINE.test(probe.stderr.trim().split('\n').pop() ?? '')) return 'gnu-time';
  try {
    readFileSync('/proc/self/status', 'utf8');
    return 'proc-vmhwm';
  } catch {
    return 'none';
  }
}

/** Runs `command args` once; stdout goes to `stdoutFile` when given, else to /dev/null when `discardStdout`. */
export async function measureChild(command: string, args: readonly string[], options: { discardStdout: boolean; stdoutFile?: string; rss: RssMethod }): Promise<ChildRun> {
  const scratch = options.rss === 'gnu-time' ? mkdtempSync(join(tmpdir(), 'teredoscope-bench-')) : null;
  const timeFile = scratch !== null ? join(scratch, 'rss') : '';
  const [file, argv] = scratch !== null ? [GNU_TIME, ['-f', TIME_FORMAT, '-o', timeFile, command, ...args]] : [command, [...args]];
  const devNull = options.stdoutFile !== undefined ? openSync(options.stdoutFile, 'w') : options.discardStdout ? openSync('/dev/null', 'w') : null;
  try {
    const started = performance.now();
    const child = spawn(file, argv, { stdio: ['ignore', devNull ?? 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    let polled: number | null = null;
    const poller = options.rss === 'proc-vmhwm' && child.pid !== undefined ? pollHighWaterMark(child.pid, (kib) => (polled = kib)) : null;
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const seconds = (performance.now() - started) / 1000;
    if (poller !== null) clearInterval(poller);
    let peakRssKiB: number | null = polled;
    let cpuSeconds: number | null = null;
    if (scratch !== null) {
      // GNU time writes "Command exited with non-zero status N" first when it did.
      const match = TIME_LINE.exec(readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '');
      peakRssKiB = match !== null ? Number(match[1]) : null;
      cpuSeconds = match !== null ? Number(match[2]) + Number(match[3]) : null;
    }
    return { seconds, peakRssKiB, cpuSeconds, exitCode, stdout, stderr };
  } finally {
    if (devNull !== null) closeSync(devNull);
    if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  }
}

function pollHighWaterMark(pid: number, report: (kib: number) => void): NodeJS.Timeout {
  const read = (): void => {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match !== null) report(Number(match[1]));
    } catch {
      // The child has exited between two polls: the last reading stands.
    }
  };
  read();
  return setInterval(read, POLL_MS);
}
