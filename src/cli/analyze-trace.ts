import { MAX_REFERENCE_CAPTURES } from '../analysis/frame-reference.js';
import type { Timestamp } from '../capture/timestamp.js';
import type { AnalysedTrace } from '../check/trace-verdict.js';
import { buildReport } from '../report/build-report.js';
import type { CommandContext } from './command-context.js';
import { ExitCode, worseExit, type ExitCodeValue } from './exit-codes.js';
import { analyseTimeline } from './analyse-timeline.js';
import { peekFirstTimestamps } from './merged-teredo-stream.js';
import { compareTimestamps } from './peek-first-timestamp.js';
import { ProgressDisplay } from './progress-display.js';
import { reportStreamOutcome } from './report-stream-outcome.js';
import { inputDisplayName } from './stdin-argument.js';
import { UsageError } from './usage-error.js';

export interface TraceOptions {
  quiet: boolean;
  workers: boolean;
  maxLiveClients: number;
}

/**
 * Reads and analyses one trace: one capture, or several files as one rotated capture (merged by
 * timestamp into one timeline, as `analyze` does). Problems reading it go to standard error as
 * for `analyze` and are kept with the trace; they never stop the other traces.
 */
export async function analyzeTrace(name: string, files: readonly string[], options: TraceOptions, context: CommandContext): Promise<AnalysedTrace> {
  if (files.length > MAX_REFERENCE_CAPTURES) throw new UsageError(`${name}: at most ${MAX_REFERENCE_CAPTURES} capture files in one trace (got ${files.length})`);
  const started = performance.now();
  const { ordered, firsts } = files.length > 1 ? await inTimeOrder(files) : { ordered: [...files], firsts: null };
  const problems: string[] = [];
  const read: { exit: ExitCodeValue } = { exit: ExitCode.ok };
  const traceContext: CommandContext = {
    ...context,
    exit: (code) => {
      read.exit = worseExit(read.exit, code);
    },
    warn: (message) => {
      problems.push(message);
      context.warn(message);
    },
  };
  const progress = new ProgressDisplay(context, ordered, options.quiet);
  const timeline = await analyseTimeline(ordered, {
    stdin: context.stdin,
    progress,
    firstCapture: 0,
    captureNames: ordered.length > 1 ? ordered.map(inputDisplayName) : [],
    maxLiveClients: options.maxLiveClients,
    workers: options.workers,
    amongMany: false,
    firstTimestamps: firsts ?? undefined,
  });
  progress.finish();
  for (const result of timeline.results) reportStreamOutcome(result, traceContext);
  const anyFrames = timeline.results.some((result) => result.frames > 0 || result.error === null);
  const report = anyFrames ? buildReport({ captures: timeline.captures, analysis: timeline.analysis }) : null;
  const readExit = read.exit === ExitCode.unreadable ? 3 : read.exit === ExitCode.truncated ? 4 : 0;
  return { name, files: [...files], report, seconds: (performance.now() - started) / 1000, readExit, readProblems: problems };
}

/** Files by the time of their first frame (stable); those without one first, where the merge reports them. */
async function inTimeOrder(files: readonly string[]): Promise<{ ordered: string[]; firsts: (Timestamp | null)[] }> {
  // A few files open at a time (peekFirstTimestamps); the merge reuses what they found.
  const found = await peekFirstTimestamps(files);
  const order = files.map((_, index) => index);
  order.sort((a, b) => {
    const x = found[a];
    const y = found[b];
    if (x === null || y === null) return x === y ? a - b : x === null ? -1 : 1;
    return compareTimestamps(x, y) || a - b;
  });
  return { ordered: order.map((index) => files[index]), firsts: order.map((index) => found[index]) };
}
