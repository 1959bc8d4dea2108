import type { DissectArgs } from './dissect-command.js';
import { parseAddressFilter, type AddressFilter } from '../address-filter.js';
import type { CommandContext } from '../command-context.js';
import { packetJsonLine } from '../dissect/packet-json-line.js';
import { packetSummaryLine } from '../dissect/packet-summary.js';
import { packetTree } from '../dissect/packet-tree.js';
import { ExitCode } from '../exit-codes.js';
import { frameSelected, parseFrameSelection, type FrameSelection } from '../frame-selection.js';
import { OutputSink } from '../output-sink.js';
import { escapeControl } from '../render/control-escape.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { inputDisplayName, restoreStdinArgument } from '../stdin-argument.js';
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
export async function runDissect(args: DissectArgs, context: CommandContext): Promise<void> {
  // yargs' conflicts() counts options with defaults as given, so the check is made here.
  if (args.json && args.verbose) throw new UsageError('--json and --verbose cannot be combined');
  const selection: FrameSelection | null = args.frames === undefined ? null : parseFrameSelection(args.frames);
  const addressFilter: AddressFilter | null = args.address === undefined ? null : parseAddressFilter(args.address);
  const sink = new OutputSink(context.stdout);
  const files = await expandInputs(args.file.map((arg) => restoreStdinArgument(String(arg))), (message) => context.warn(message));
  if (files.length === 0) throw new UsageError('no capture files (the directories given are empty)');
  // With several files each line says which one it came from; frame numbers stay per file.
  const prefixes = files.map((file) => `${escapeControl(inputDisplayName(file))}:`);
  const prefix = (source: number): string => (files.length > 1 ? prefixes[source] : '');
  const progress = new ProgressDisplay(context, files, args.quiet);
  const fileJson = files.map((file) => JSON.stringify(file));

  const results = await streamMergedTeredoPackets(
    files,
    (packet, source) => {
      if (!frameSelected(selection, packet.frame)) return;
      if (addressFilter !== null && !addressFilter(packet)) return;
      if (args.json) sink.line(packetJsonLine(packet, files[source], fileJson[source]));
      else if (args.verbose) sink.line(prefix(source) + packetTree(packet).join('\n') + '\n');
      else sink.line(prefix(source) + packetSummaryLine(packet));
    },
    {
      stdin: context.stdin,
      onProgress: (source, bytes, frames) => progress.update(source, bytes, frames),
      workers: args.workers,
      afterChunk: () => sink.waitIfBehind(),
    },
  );
  await sink.flush();
  progress.finish();
  for (const result of results) {
    if (!args.quiet && result.summary !== null) {
      context.warn(`${inputDisplayName(result.file)}: ${plural(result.frames, 'frame')}, ${plural(result.teredoPackets, 'Teredo packet')} (${result.summary.format}${result.summary.compressed ? ', gzip' : ''})`);
    }
    reportStreamOutcome(result, context);
  }
  context.exit(ExitCode.ok);
}
