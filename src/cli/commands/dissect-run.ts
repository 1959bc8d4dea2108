import type { DissectRequest } from './dissect-command.js';
import { parseAddressFilter, type AddressFilter } from '../address-filter.js';
import type { CommandContext } from '../command-context.js';
import { packetJsonLine } from '../dissect/packet-json-line.js';
import { packetSummaryLine } from '../dissect/packet-summary.js';
import { packetTree } from '../dissect/packet-tree.js';
import { ExitCode } from '../exit-codes.js';
import { frameSelected, parseFrameSelections, selectionExhausted, type FrameSelection } from '../frame-selection.js';
import { OutputSink } from '../output-sink.js';
import { escapeControl } from '../render/control-escape.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { inputDisplayName } from '../stdin-argument.js';
import { expandInputs } from '../expand-inputs.js';
import { plural } from '../plural.js';
import { streamMergedTeredoPackets } from '../merged-teredo-stream.js';
import { ProgressDisplay } from '../progress-display.js';
import { UsageError } from '../usage-error.js';

/**
 * What `dissect` does once its arguments are parsed. Kept apart from the option definitions in
 * dissect-command.ts and imported only when the command runs, so that other commands (and --help)
 * do not load the capture, dissection and rendering stages.
 */
export async function runDissect(request: DissectRequest, context: CommandContext): Promise<void> {
  const selection: FrameSelection | null = request.frames.length === 0 ? null : parseFrameSelections(request.frames);
  const addressFilter: AddressFilter | null = anyAddress(request.addresses.map(parseAddressFilter));
  const sink = new OutputSink(context.stdout);
  const files = await expandInputs(request.files, (message) => context.warn(message));
  if (files.length === 0) throw new UsageError('no capture files (the directories given are empty)');
  // With several files each line says which one it came from; frame numbers stay per file.
  const prefixes = files.map((file) => (files.length > 1 ? `${escapeControl(inputDisplayName(file))}:` : ''));
  const progress = new ProgressDisplay(context, files, request.quiet);
  const fileJson = files.map((file) => JSON.stringify(file));
  const limit = request.count ?? Number.POSITIVE_INFINITY;
  let printed = 0;
  let lastFrame = 0;

  const results = await streamMergedTeredoPackets(
    files,
    (packet, source) => {
      if (printed >= limit || sink.isClosed) return;
      lastFrame = packet.frame;
      if (!frameSelected(selection, packet.frame)) return;
      if (addressFilter !== null && !addressFilter(packet)) return;
      printed++;
      if (request.format === 'json') sink.line(packetJsonLine(packet, files[source], fileJson[source]));
      else if (request.verbose) sink.line(prefixes[source] + packetTree(packet).join('\n') + '\n');
      else sink.line(prefixes[source] + packetSummaryLine(packet));
    },
    {
      stdin: context.stdin,
      onProgress: (source, bytes, frames) => progress.update(source, bytes, frames),
      workers: request.workers,
      afterChunk: () => sink.waitIfBehind(),
      // A closed standard output (`dissect … | head -1`) or -c N reached: nothing more to print, so stop reading.
      // With one file, frames ascend: past the last selected frame there is nothing left to print.
      shouldStop: () => sink.isClosed || printed >= limit || (files.length === 1 && selectionExhausted(selection, lastFrame)),
    },
  );
  await sink.flush();
  progress.finish();
  for (const result of results) {
    if (!request.quiet && result.summary !== null && !sink.isClosed) {
      context.warn(`${escapeControl(inputDisplayName(result.file))}: ${plural(result.frames, 'frame')}, ${plural(result.teredoPackets, 'Teredo packet')} (${result.summary.format}${result.summary.compressed ? ', gzip' : ''})`);
    }
    reportStreamOutcome(result, context);
  }
  context.exit(ExitCode.ok);
}

function anyAddress(filters: AddressFilter[]): AddressFilter | null {
  if (filters.length === 0) return null;
  if (filters.length === 1) return filters[0];
  return (packet) => filters.some((filter) => filter(packet));
}
