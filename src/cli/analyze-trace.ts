import { frameReference, MAX_REFERENCE_CAPTURES } from '../analysis/frame-reference.js';
import { TeredoAnalyzer } from '../analysis/teredo-analyzer.js';
import type { AnalysedTrace } from '../check/trace-verdict.js';
import { buildReport } from '../report/build-report.js';
import type { CaptureReportEntry } from '../report/report.js';
import type { CommandContext } from './command-context.js';
import { ExitCode, worseExit, type ExitCodeValue } from './exit-codes.js';
import { streamMergedTeredoPackets } from './merged-teredo-stream.js';
import { compareTimestamps, peekFirstTimestamp } from './peek-first-timestamp.js';
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
 *
 * The same steps as runAnalyze (analyze-run.ts) up to the report; kept apart so that `check`
 * can analyse each trace on its own while analyze's options change.
 */
export async function analyzeTrace(name: string, files: readonly string[], options: TraceOptions, context: CommandContext): Promise<AnalysedTrace> {
  if (files.length > MAX_REFERENCE_CAPTURES) throw new UsageError(`${name}: at most ${MAX_REFERENCE_CAPTURES} capture files in one trace (got ${files.length})`);
  const started = performance.now();
  const ordered = files.length > 1 ? await inTimeOrder(files) : [...files];
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
  const analyzer = new TeredoAnalyzer({ captureNames: ordered.length > 1 ? ordered.map(inputDisplayName) : [], maxLiveClients: options.maxLiveClients });
  const progress = new ProgressDisplay(context, ordered, options.quiet);
  const results = await streamMergedTeredoPackets(
    ordered,
    (packet, source) => {
      packet.frame = frameReference(source, packet.frame);
      analyzer.add(packet);
    },
    {
      stdin: context.stdin,
      onMalformed: (source, frame, reason) => analyzer.noteMalformed(frameReference(source, frame), reason),
      onProgress: (source, bytes, frames) => progress.update(source, bytes, frames),
      workers: options.workers,
    },
  );
  progress.finish();
  const captures: CaptureReportEntry[] = [];
  let anyFrames = false;
  for (const [index, result] of results.entries()) {
    if (result.error !== null && (result.error.kind === 'truncated' || result.error.kind === 'damaged')) {
      analyzer.noteTruncated(frameReference(index, result.frames), result.error.message);
    }
    anyFrames ||= result.frames > 0 || result.error === null;
    captures.push({
      file: result.file,
      format: result.summary?.format ?? result.error?.format ?? null,
      packets: result.frames,
      teredoPackets: result.teredoPackets,
      truncated: result.error !== null,
    });
    reportStreamOutcome(result, traceContext);
  }
  const report = anyFrames ? buildReport({ captures, analysis: analyzer.finish() }) : null;
  const readExit = read.exit === ExitCode.unreadable ? 3 : read.exit === ExitCode.truncated ? 4 : 0;
  return { name, files: [...files], report, seconds: (performance.now() - started) / 1000, readExit, readProblems: problems };
}

/** Files by the time of their first frame (stable); those without one first, where the merge reports them. */
async function inTimeOrder(files: readonly string[]): Promise<string[]> {
  const firsts = await Promise.all(files.map((file) => (file === '-' ? null : peekFirstTimestamp(file))));
  const order = files.map((_, index) => index);
  order.sort((a, b) => {
    const x = firsts[a];
    const y = firsts[b];
    if (x === null || y === null) return x === y ? a - b : x === null ? -1 : 1;
    return compareTimestamps(x, y) || a - b;
  });
  return order.map((index) => files[index]);
}
