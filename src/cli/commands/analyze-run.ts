import type { AnalyzeArgs } from './analyze-command.js';
import { frameReference, MAX_REFERENCE_CAPTURES } from '../../analysis/frame-reference.js';
import { TeredoAnalyzer } from '../../analysis/teredo-analyzer.js';
import { buildReport } from '../../report/build-report.js';
import { filterReportByClient, parseClientQuery } from '../../report/client-filter.js';
import type { CaptureReportEntry } from '../../report/report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { expandInputs } from '../expand-inputs.js';
import { OutputSink } from '../output-sink.js';
import { ProgressDisplay } from '../progress-display.js';
import type { Report } from '../../report/report.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { inputDisplayName, restoreStdinArgument } from '../stdin-argument.js';
import { streamMergedTeredoPackets } from '../merged-teredo-stream.js';
import { compareTimestamps, peekFirstTimestamp } from '../peek-first-timestamp.js';
import { UsageError } from '../usage-error.js';

/**
 * What `analyze` does once its arguments are parsed. Kept apart from the option definitions in
 * analyze-command.ts and imported only when the command runs, so that other commands (and --help)
 * do not load the capture, analysis and rendering stages.
 */
export async function runAnalyze(args: AnalyzeArgs, context: CommandContext): Promise<void> {
  const maxLiveClients = args['max-live-clients'];
  if (!Number.isSafeInteger(maxLiveClients) || maxLiveClients < 1) {
    throw new UsageError(`--max-live-clients: expected a positive integer, got '${String(maxLiveClients)}'`);
  }
  const query = args.client === undefined ? null : parseClientQuery(args.client);
  if (args.client !== undefined && query === null) throw new UsageError(`--client: '${args.client}' is neither an IPv4[:port] nor an IPv6 address`);
  const files = await expandInputs(args.file.map((arg) => restoreStdinArgument(String(arg))));
  if (files.length === 0) throw new UsageError('no capture files (the directories given are empty)');

  if (files.length > MAX_REFERENCE_CAPTURES) throw new UsageError(`at most ${MAX_REFERENCE_CAPTURES} capture files at once (got ${files.length})`);
  // Captures in the order of their first packet: their indexes, and so the frame references,
  // then ascend with time for rotated files whatever order they were named in.
  const ordered = files.length > 1 ? await inTimeOrder(files) : files;

  // One timeline, one analysis: a client seen across rotated files is one client. Each packet
  // carries a frame reference (capture, frame) so that no two files' frames are confused.
  const analyzer = new TeredoAnalyzer({ captureNames: ordered.length > 1 ? ordered.map(inputDisplayName) : [], maxLiveClients });
  const progress = new ProgressDisplay(context, ordered, args.quiet);
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
      workers: args.workers,
    },
  );
  progress.finish();
  const captures: CaptureReportEntry[] = [];
  for (const [index, result] of results.entries()) {
    // Earlier packets of a broken file are analysed, and the files after it still read.
    if (result.error !== null && (result.error.kind === 'truncated' || result.error.kind === 'damaged')) {
      analyzer.noteTruncated(frameReference(index, result.frames), result.error.message);
    }
    captures.push({
      file: result.file,
      format: result.summary?.format ?? result.error?.format ?? null,
      packets: result.frames,
      teredoPackets: result.teredoPackets,
      truncated: result.error !== null,
    });
    reportStreamOutcome(result, context);
  }

  let report = buildReport({ captures, analysis: analyzer.finish() });
  if (query !== null) report = filterReportByClient(report, query);
  // Line generators, not one string: a million-client report is far too large to build at once.
  const lines = await reportLines(report, args.format, context.color);
  const sink = new OutputSink(context.stdout);
  for (const line of lines) {
    sink.line(line);
    await sink.waitIfBehind();
  }
  await sink.flush();
  context.exit(ExitCode.ok);
}

/**
 * Files sorted by the time of their first frame (stable); those without one (standard input,
 * unreadable or empty files) come first, where the merge reports them.
 */
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

/** The report in `format`, line by line; only the renderer asked for is loaded (the table one pulls in cli-table3). */
async function reportLines(report: Report, format: AnalyzeArgs['format'], color: boolean): Promise<Iterable<string>> {
  if (format === 'json') return (await import('../render/report-json.js')).reportJsonLines(report);
  if (format === 'markdown') return (await import('../render/report-markdown.js')).reportMarkdownLines(report);
  return (await import('../render/report-table.js')).reportTableLines(report, { color });
}
