import { DEFAULT_TERMINAL_ROWS, type AnalyzeRequest } from './analyze-command.js';
import type { AnalysisResult } from '../../analysis/analysis-result.js';
import { MAX_REFERENCE_CAPTURES } from '../../analysis/frame-reference.js';
import { buildReport } from '../../report/build-report.js';
import { filterReportByClient, parseClientQuery, type ClientQuery } from '../../report/client-filter.js';
import { combineTimelines } from '../../report/combine-timelines.js';
import type { CaptureReportEntry, Report } from '../../report/report.js';
import { sketchCapture } from '../capture-sketch.js';
import { analyseTimeline } from '../analyse-timeline.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { expandInputs } from '../expand-inputs.js';
import { groupInputs, type CaptureSketch, type GroupingDecision } from '../input-grouping.js';
import { mapLimited } from '../map-limited.js';
import { MAX_FILES_OPEN_WHILE_ORDERING } from '../../capture/input-limits.js';
import { RENDERERS } from '../render/renderer-registry.js';
import { typed } from '../option-values.js';
import { OutputSink } from '../output-sink.js';
import { peekFirstTimestamp } from '../peek-first-timestamp.js';
import { plural } from '../plural.js';
import { ProgressDisplay } from '../progress-display.js';
import { escapeControl } from '../render/control-escape.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { inputDisplayName } from '../stdin-argument.js';
import { terminalColumns } from '../terminal-width.js';
import type { TeredoStreamResult } from '../teredo-stream.js';
import type { Timestamp } from '../../capture/timestamp.js';
import { UsageError } from '../usage-error.js';
import { checkLadderArgs, ladderOutputs, wantsLadders } from './analyze-ladder.js';

/**
 * What `analyze` does once its arguments are parsed. Kept apart from the option definitions in
 * analyze-command.ts and imported only when the command runs, so that other commands (and --help)
 * do not load the capture, analysis and rendering stages.
 */
export async function runAnalyze(request: AnalyzeRequest, context: CommandContext): Promise<void> {
  const queries = request.clients.map(clientQuery);
  const given = await expandInputs(request.files, (message) => context.warn(message));
  if (given.length === 0) throw new UsageError('no capture files (the directories given are empty)');
  checkLadderArgs(request, given);
  if (given.length > MAX_REFERENCE_CAPTURES) throw new UsageError(`at most ${MAX_REFERENCE_CAPTURES} capture files at once (got ${given.length})`);

  const decision = await decideTimelines(given, request);
  if (decision.reason !== null) {
    context.warn(
      `analysing ${given.length} captures as ${plural(decision.groups.length, 'separate timeline')}: ${escapeControl(decision.reason)}; --merge analyses them as one`,
    );
  }
  // Captures in the order of their first packet within each timeline: their indexes, and so the
  // frame references, ascend with time for rotated files whatever order they were named in.
  const ordered = decision.groups.flat().map((index) => given[index]);
  const several = ordered.length > 1;
  const names = several ? ordered.map(inputDisplayName) : [];
  const progress = new ProgressDisplay(context, ordered, request.quiet);
  const budget = { left: request.count ?? Number.POSITIVE_INFINITY };

  const captures: CaptureReportEntry[] = [];
  const analyses: AnalysisResult[] = [];
  const owners: number[] = [];
  const results: TeredoStreamResult[] = [];
  let offset = 0;
  for (const group of decision.groups) {
    const timeline = await analyseTimeline(
      group.map((index) => given[index]),
      {
        stdin: context.stdin,
        progress,
        firstCapture: offset,
        captureNames: names,
        maxLiveClients: request.maxLiveClients,
        workers: request.workers,
        amongMany: given.length > 1,
        budget,
        firstTimestamps: decision.firsts === null ? undefined : group.map((index) => decision.firsts![index]),
      },
    );
    captures.push(...timeline.captures);
    for (const result of timeline.results) {
      owners.push(analyses.length);
      results.push(result);
    }
    analyses.push(timeline.analysis);
    offset += group.length;
  }
  progress.finish();
  for (const result of results) reportStreamOutcome(result, context);
  // Nothing could be read: a report of zero packets would look like a clean capture.
  if (results.every((result) => result.error !== null && result.frames === 0)) return;

  const reports = analyses.map((analysis) => buildReport({ captures, analysis }));
  let report: Report = reports.length === 1 ? reports[0] : combineTimelines(reports, owners, decision.groups.map((_, g) => owners.flatMap((owner, capture) => (owner === g ? [capture] : []))));
  if (queries.length > 0) {
    const total = report.clients.size;
    report = filterReportByClient(report, queries);
    if (report.clients.size === 0) {
      context.warn(`--client ${request.clients.map(typed).join(', ')}: no such client among the ${plural(total, 'Teredo client')} of the capture${several ? 's' : ''}`);
      context.exit(ExitCode.failing);
      return;
    }
  }
  await writeReport(report, request, ordered, context);
  context.exit(ExitCode.ok);
}

function clientQuery(text: string): ClientQuery {
  const query = parseClientQuery(text);
  if (query === null) throw new UsageError(`--client: ${typed(text)} is neither an IPv4[:port] nor an IPv6 address`);
  return query;
}

/** Which inputs form one timeline (input-grouping.ts); looking at each file costs a read of it, so only when asked to choose. */
async function decideTimelines(files: readonly string[], request: AnalyzeRequest): Promise<GroupingDecision & { firsts: (Timestamp | null)[] | null }> {
  if (files.length === 1) return { groups: [[0]], reason: null, firsts: null };
  // A few files open at a time: a ring of ten thousand files must neither open them all nor wait on each.
  const sketches: CaptureSketch[] = await mapLimited(files, MAX_FILES_OPEN_WHILE_ORDERING, async (file): Promise<CaptureSketch> => {
    if (file !== '-' && request.grouping === 'auto') return sketchCapture(file);
    const first = file === '-' ? null : await peekFirstTimestamp(file);
    return { file, first, last: first, addresses: new Set(), clientSockets: new Set(), mappedSockets: new Set() };
  });
  const decision = groupInputs(sketches, request.grouping);
  return { ...decision, firsts: sketches.map((sketch) => sketch.first) };
}

async function writeReport(report: Report, request: AnalyzeRequest, ordered: readonly string[], context: CommandContext): Promise<void> {
  // Line generators, not one string: a million-client report is far too large to build at once.
  const drawn = wantsLadders(request) ? await ladderOutputs(request, report, ordered, context) : null;
  const lines = drawn ?? (await reportLines(report, request, context));
  const sink = new OutputSink(context.stdout);
  for (const line of lines) {
    sink.line(line);
    await sink.waitIfBehind();
    if (sink.isClosed) break;
  }
  await sink.flush();
}

/** The report in the format asked for; only that renderer is loaded (the table one pulls in cli-table3). */
async function reportLines(report: Report, request: AnalyzeRequest, context: CommandContext): Promise<Iterable<string>> {
  const render = await RENDERERS[request.format].load();
  if (request.format !== 'table') return render(report, { color: context.color });
  // On a terminal: fitted to its width, and a summary with the worst clients first unless --all.
  const width = terminalColumns(context.stdout);
  return render(report, { color: context.color, width, maxRows: width !== null && !request.allRows ? DEFAULT_TERMINAL_ROWS : undefined });
}
