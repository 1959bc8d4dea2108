import type { Argv } from 'yargs';
import { parseAddressFilter, type AddressFilter } from '../address-filter.js';
import type { CommandContext } from '../command-context.js';
import { packetJsonLine } from '../dissect/packet-json-line.js';
import { packetSummaryLine } from '../dissect/packet-summary.js';
import { packetTree } from '../dissect/packet-tree.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { frameSelected, parseFrameSelection, type FrameSelection } from '../frame-selection.js';
import { OutputSink } from '../output-sink.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { inputDisplayName, restoreStdinArgument } from '../stdin-argument.js';
import { expandInputs } from '../expand-inputs.js';
import { plural } from '../plural.js';
import { WORKERS_OPTION } from '../workers-option.js';
import { streamMergedTeredoPackets } from '../merged-teredo-stream.js';
import { ProgressDisplay } from '../progress-display.js';
import { UsageError } from '../usage-error.js';

interface DissectArgs {
  file: string[];
  json: boolean;
  verbose: boolean;
  frames?: string;
  address?: string;
  quiet: boolean;
  workers: boolean;
}

export function registerDissect(cli: Argv, context: CommandContext): Argv {
  return cli.command<DissectArgs>(
    'dissect <file..>',
    'Print every Teredo packet of captures (pcap, pcapng, gzip; - for standard input)',
    (y) =>
      y
        .positional('file', { type: 'string', array: true, demandOption: true, describe: 'capture files; - reads standard input' })
        .option('json', { type: 'boolean', default: false, describe: 'one JSON object per packet and line (NDJSON)' })
        .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'a field tree per packet' })
        .option('frames', { type: 'string', describe: 'only these frames, e.g. 10-20 or 6,7,29-33 or 100-' })
        .option('address', { type: 'string', describe: 'only packets involving this IPv4/IPv6 address (outer, origin, inner, or embedded in a Teredo address)' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no per-file summary and no progress display on standard error' })
        .option('workers', WORKERS_OPTION)
        .example('$0 dissect capture.pcapng', 'one line per Teredo packet')
        .example('$0 dissect --json capture.pcap | jq .kind', 'NDJSON for scripts and log pipelines')
        .example('$0 dissect -v --frames 6-7 capture.pcap', 'field trees of frames 6 and 7')
        .epilogue(
          'Teredo is found on UDP port 3544 and on the arbitrary ports of relay and peer flows (endpoints learned from\n' +
            'server traffic, and strictly validated IPv6-in-UDP with a Teredo address). Frame numbers are Wireshark\'s.\n\n' +
            EXIT_CODES_HELP,
        ),
    async (args) => {
      // yargs' conflicts() counts options with defaults as given, so the check is made here.
      if (args.json && args.verbose) throw new UsageError('--json and --verbose cannot be combined');
      const selection: FrameSelection | null = args.frames === undefined ? null : parseFrameSelection(args.frames);
      const addressFilter: AddressFilter | null = args.address === undefined ? null : parseAddressFilter(args.address);
      const sink = new OutputSink(context.stdout);
      const files = await expandInputs(args.file.map((arg) => restoreStdinArgument(String(arg))));
      if (files.length === 0) throw new UsageError('no capture files (the directories given are empty)');
      // With several files each line says which one it came from; frame numbers stay per file.
      const prefix = (source: number): string => (files.length > 1 ? `${inputDisplayName(files[source])}:` : '');
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
          afterChunk: () => sink.flushIfFull(),
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
    },
  );
}
