import type { Argv } from 'yargs';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { resolveFormat, withFormatOption } from '../format-option.js';
import { inputFiles, withInputFiles } from '../input-files-option.js';
import { all, flag, integer, single } from '../option-values.js';
import { UsageError } from '../usage-error.js';
import { WORKERS_OPTION } from '../workers-option.js';

const FORMATS = ['text', 'json'] as const;

/** `dissect` as the user asked for it, every option checked. */
export interface DissectRequest {
  files: string[];
  format: (typeof FORMATS)[number];
  verbose: boolean;
  /** `--frames` values; a frame is printed when any of them selects it. */
  frames: string[];
  /** `--address` values; a packet is printed when it involves any of them. */
  addresses: string[];
  /** `-c N`: stop after printing N packets; null prints every one. */
  count: number | null;
  quiet: boolean;
  workers: boolean;
}

interface DissectArgv {
  [key: string]: unknown;
}

export function registerDissect(cli: Argv, context: CommandContext): Argv {
  return cli.command<DissectArgv>(
    'dissect [file..]',
    'Print every Teredo packet of captures (pcap, pcapng, gzip; - for standard input)',
    (y) =>
      withFormatOption(withInputFiles(y), FORMATS, 'text')
        .option('verbose', { alias: 'v', type: 'boolean', describe: 'a field tree per packet' })
        .option('frames', { type: 'string', describe: 'only these frames, e.g. 10-20 or 6,7,29-33 or 100- (repeatable)' })
        .option('address', { type: 'string', describe: 'only packets involving this IPv4/IPv6 address (outer, origin, inner, or embedded in a Teredo address; repeatable)' })
        .option('c', { alias: 'count', type: 'string', describe: 'stop after printing N packets (as tshark -c)' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'no per-file summary and no progress display on standard error' })
        .option('workers', WORKERS_OPTION)
        .example('$0 dissect capture.pcapng', 'one line per Teredo packet')
        .example('$0 dissect --format json capture.pcap | jq .kind', 'NDJSON for scripts and log pipelines')
        .example('$0 dissect -v --frames 6-7 -r capture.pcap', 'field trees of frames 6 and 7')
        .epilogue(
          'Teredo is found on UDP port 3544 and on the arbitrary ports of relay and peer flows (endpoints learned from\n' +
            'server traffic, and strictly validated IPv6-in-UDP with a Teredo address). Frame numbers are Wireshark\'s.\n\n' +
            EXIT_CODES_HELP,
        ),
    async (args) => {
      const request = dissectRequest(args);
      const { runDissect } = await import('./dissect-run.js');
      await runDissect(request, context);
    },
  );
}

function dissectRequest(args: DissectArgv): DissectRequest {
  const format = resolveFormat(args, FORMATS, 'text');
  const verbose = flag(args.verbose, 'verbose');
  // yargs' conflicts() counts options with defaults as given, so the check is made here.
  if (format === 'json' && verbose) throw new UsageError('--format json and --verbose cannot be combined');
  const count = single(args.c, 'count');
  return {
    files: inputFiles(args),
    format,
    verbose,
    frames: all(args.frames),
    addresses: all(args.address),
    count: count === undefined ? null : integer(count, 'count', 1),
    quiet: flag(args.quiet, 'quiet'),
    workers: flag(args.workers, 'workers'),
  };
}
