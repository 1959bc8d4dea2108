import type { Argv } from 'yargs';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { FINDING_KINDS } from '../../analysis/finding-catalog.js';
import { resolveFormat, withFormatOption } from '../format-option.js';
import { FORMAT_NAMES, formatHelp, type FormatName } from '../render/renderer-registry.js';
import { inputFiles, withInputFiles } from '../input-files-option.js';
import { liveClientLimit, MAX_LIVE_CLIENTS_OPTION, MEMORY_BUDGET_OPTION } from '../live-client-limit.js';
import { all, flag, integer, single } from '../option-values.js';
import { UsageError } from '../usage-error.js';
import { WORKERS_OPTION } from '../workers-option.js';

export type ReportFormat = FormatName;

/** How several inputs are analysed: as one timeline, one by one, or as the inputs suggest (input-grouping.ts). */
export type GroupingChoice = 'auto' | 'merge' | 'per-file';

/** Client rows shown on a terminal before "… and N more (--all)". */
export const DEFAULT_TERMINAL_ROWS = 20;

/** `analyze` as the user asked for it, every option checked. */
export interface AnalyzeRequest {
  files: string[];
  format: ReportFormat;
  /** `--client` values (any of them matches). */
  clients: string[];
  quiet: boolean;
  workers: boolean;
  maxLiveClients: number;
  /** `-c N`: stop after N Teredo packets; null reads everything. */
  count: number | null;
  grouping: GroupingChoice;
  /** `--all`: every client row on a terminal too. */
  allRows: boolean;
  /** `--ladder`, `--ascii`, `--html FILE` (analyze-ladder.ts). */
  ladder: boolean;
  ascii: boolean;
  html?: string;
}

/** yargs' view of the options: values may be arrays (an option given twice) until resolved. */
interface AnalyzeArgv {
  [key: string]: unknown;
}

export function registerAnalyze(cli: Argv, context: CommandContext): Argv {
  return cli.command<AnalyzeArgv>(
    'analyze [file..]',
    'Reconstruct qualification, relay discovery and hole punching per client, and flag what went wrong',
    (y) =>
      withFormatOption(withInputFiles(y), FORMAT_NAMES, 'table', formatHelp())
        .option('client', { type: 'string', describe: 'only clients with this address: IPv4[:port] (inside or mapped) or Teredo IPv6; repeat for several' })
        .option('c', { alias: 'count', type: 'string', describe: 'stop after N Teredo packets (as tshark -c)' })
        .option('merge', { type: 'boolean', describe: 'analyse all inputs as one timeline, like mergecap' })
        .option('per-file', { type: 'boolean', describe: 'analyse each input on its own' })
        .option('all', { type: 'boolean', describe: `on a terminal, show every client row (default: the summary and ${DEFAULT_TERMINAL_ROWS} rows)` })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'no progress display on standard error' })
        .option('workers', WORKERS_OPTION)
        .option('memory-budget', MEMORY_BUDGET_OPTION)
        .option('max-live-clients', MAX_LIVE_CLIENTS_OPTION)
        .option('ladder', { type: 'boolean', describe: 'draw each client\'s exchange as a ladder diagram instead of the report (use with --client)' })
        .option('ascii', { type: 'boolean', describe: 'with --ladder: ASCII only, no Unicode box drawing' })
        .option('html', { type: 'string', requiresArg: true, describe: 'also write a self-contained HTML page (summary, clients, an SVG ladder per client, findings) to this file' })
        .example('$0 analyze capture.pcapng', 'clients, NAT types, relays, hole punches and findings')
        .example('$0 analyze --format json capture.pcap | jq .findings', 'the report as JSON')
        .example('$0 analyze --client 192.168.2.16 capture.pcap', 'one client only')
        .example('$0 analyze --ladder --client 192.168.2.16 capture.pcap', 'the qualification and hole punching of one client, drawn')
        .example('$0 analyze ring/', 'rotated files merged into one timeline by timestamp')
        .epilogue(
          `Findings: ${FINDING_KINDS.join(', ')}; each with the frames that ` +
            'prove it and a Wireshark display filter. analyze exits 0 whatever it finds: the findings are the report ' +
            '(1 when --client matches no client; teredoscope check makes them a verdict).\n\n' +
            'Several files (or a directory) are merged by timestamp into one timeline, like mergecap, when they look like one ' +
            'capture: consecutive or overlapping timelines of the same network. Otherwise each is analysed on its own, and ' +
            'standard error says so; --merge and --per-file decide instead.\n\n' +
            EXIT_CODES_HELP,
        ),
    async (args) => {
      const request = analyzeRequest(args);
      const { runAnalyze } = await import('./analyze-run.js');
      await runAnalyze(request, context);
    },
  );
}

function analyzeRequest(args: AnalyzeArgv): AnalyzeRequest {
  const merge = flag(args.merge, 'merge');
  const perFile = flag(args['per-file'], 'per-file');
  if (merge && perFile) throw new UsageError('--merge and --per-file contradict each other; give one');
  const count = single(args.c, 'count');
  return {
    files: inputFiles(args),
    format: resolveFormat(args, FORMAT_NAMES, 'table'),
    clients: all(args.client),
    quiet: flag(args.quiet, 'quiet'),
    workers: flag(args.workers, 'workers'),
    maxLiveClients: liveClientLimit(args),
    count: count === undefined ? null : integer(count, 'count', 1),
    grouping: merge ? 'merge' : perFile ? 'per-file' : 'auto',
    ladder: flag(args.ladder, 'ladder'),
    ascii: flag(args.ascii, 'ascii'),
    html: single(args.html, 'html'),
    allRows: flag(args.all, 'all'),
  };
}
