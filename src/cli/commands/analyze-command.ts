import type { Argv } from 'yargs';
import { DEFAULT_MAX_LIVE_CLIENTS } from '../../analysis/protocol-timing.js';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { WORKERS_OPTION } from '../workers-option.js';

const FORMATS = ['table', 'json', 'markdown', 'mermaid'] as const;
type ReportFormat = (typeof FORMATS)[number];

export interface AnalyzeArgs {
  file: string[];
  format: ReportFormat;
  client?: string;
  quiet: boolean;
  workers: boolean;
  'max-live-clients': number;
  ladder: boolean;
  ascii: boolean;
  html?: string;
}

export function registerAnalyze(cli: Argv, context: CommandContext): Argv {
  return cli.command<AnalyzeArgs>(
    'analyze <file..>',
    'Reconstruct qualification, relay discovery and hole punching per client, and flag what went wrong',
    (y) =>
      y
        .positional('file', { type: 'string', array: true, demandOption: true, describe: 'capture files or directories; - reads standard input' })
        .option('format', { choices: FORMATS, default: 'table' as ReportFormat, describe: 'report format (json: schema teredoscope.report/1)' })
        .option('client', { type: 'string', describe: 'only the client with this address: IPv4[:port] (inside or mapped) or Teredo IPv6' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress display on standard error' })
        .option('workers', WORKERS_OPTION)
        .option('max-live-clients', {
          type: 'number',
          default: DEFAULT_MAX_LIVE_CLIENTS,
          describe: 'clients followed at once; past it the one quiet for longest is closed early (bounds memory; reported as client-limit)',
        })
        .option('ladder', { type: 'boolean', default: false, describe: 'draw each client\'s exchange as a ladder diagram instead of the report (use with --client)' })
        .option('ascii', { type: 'boolean', default: false, describe: 'with --ladder: ASCII only, no Unicode box drawing' })
        .option('html', { type: 'string', requiresArg: true, describe: 'also write a self-contained HTML page (summary, clients, an SVG ladder per client, findings) to this file' })
        .example('$0 analyze capture.pcapng', 'clients, NAT types, relays, hole punches and findings')
        .example('$0 analyze --format json capture.pcap | jq .findings', 'the report as JSON')
        .example('$0 analyze --client 192.168.2.16 capture.pcap', 'one client only')
        .example('$0 analyze --ladder --client 192.168.2.16 capture.pcap', 'the qualification and hole punching of one client, drawn')
        .example('$0 analyze ring/', 'rotated files merged into one timeline by timestamp')
        .epilogue(
          'Findings: symmetric-nat, offline, missing-relay, hole-punch-failed, nonce-mismatch, mapping-changed, ' +
            'address-mismatch, bubble-with-payload, malformed-teredo, truncated-capture, client-limit; each with the frames that ' +
            'prove it and a Wireshark display filter. analyze exits 0 whatever it finds: the findings are the report.\n\n' +
            'Several files (or a directory) are merged by timestamp into one timeline, like mergecap: a client seen across ' +
            "rotated files is one client, and every frame is given with its file (frame numbers are Wireshark's for that " +
            'file, one display filter per file). Captures inside and outside the same NAT give one client per vantage point.\n\n' +
            EXIT_CODES_HELP,
        ),
    async (args) => {
      const { runAnalyze } = await import('./analyze-run.js');
      await runAnalyze(args, context);
    },
  );
}
