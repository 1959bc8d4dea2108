import type { Argv } from 'yargs';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { WORKERS_OPTION } from '../workers-option.js';

export interface DissectArgs {
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
      const { runDissect } = await import('./dissect-run.js');
      await runDissect(args, context);
    },
  );
}
