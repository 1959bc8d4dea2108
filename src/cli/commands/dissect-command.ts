import type { Argv } from 'yargs';
import type { TeredoPacket } from '../../teredo/packet.js';
import { parseAddressFilter, type AddressFilter } from '../address-filter.js';
import type { CommandContext } from '../command-context.js';
import { packetToJson } from '../dissect/packet-json.js';
import { packetSummaryLine } from '../dissect/packet-summary.js';
import { packetTree } from '../dissect/packet-tree.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { frameSelected, parseFrameSelection, type FrameSelection } from '../frame-selection.js';
import { OutputSink } from '../output-sink.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { inputDisplayName, restoreStdinArgument } from '../stdin-argument.js';
import { streamTeredoPackets } from '../teredo-stream.js';
import { UsageError } from '../usage-error.js';

interface DissectArgs {
  file: string[];
  json: boolean;
  verbose: boolean;
  frames?: string;
  address?: string;
  quiet: boolean;
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
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no per-file summary on standard error' })
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
      const print = (packet: TeredoPacket, file: string): void => {
        if (!frameSelected(selection, packet.frame)) return;
        if (addressFilter !== null && !addressFilter(packet)) return;
        if (args.json) sink.line(JSON.stringify(packetToJson(packet, file)));
        else if (args.verbose) sink.line(packetTree(packet).join('\n') + '\n');
        else sink.line(packetSummaryLine(packet));
      };

      for (const file of args.file.map((arg) => restoreStdinArgument(String(arg)))) {
        const result = await streamTeredoPackets(file, (packet) => print(packet, file), {
          input: file === '-' ? context.stdin : undefined,
          afterChunk: () => sink.flushIfFull(),
        });
        await sink.flush();
        if (!args.quiet && result.summary !== null) {
          context.warn(`${inputDisplayName(file)}: ${result.frames} frames, ${result.dissect.teredo} Teredo packets (${result.summary.format}${result.summary.compressed ? ', gzip' : ''})`);
        }
        reportStreamOutcome(result, context);
      }
      context.exit(ExitCode.ok);
    },
  );
}
