import type { Argv } from 'yargs';
import { TeredoAnalyzer } from '../../analysis/teredo-analyzer.js';
import { buildReport } from '../../report/build-report.js';
import { filterReportByClient, parseClientQuery } from '../../report/client-filter.js';
import type { CaptureReportEntry } from '../../report/report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { expandInputs } from '../expand-inputs.js';
import { OutputSink } from '../output-sink.js';
import { ProgressDisplay } from '../progress-display.js';
import { reportJsonLines } from '../render/report-json.js';
import { reportMarkdownLines } from '../render/report-markdown.js';
import { reportTableLines } from '../render/report-table.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { restoreStdinArgument } from '../stdin-argument.js';
import { streamTeredoPackets } from '../teredo-stream.js';
import { UsageError } from '../usage-error.js';

const FORMATS = ['table', 'json', 'markdown'] as const;
type ReportFormat = (typeof FORMATS)[number];

interface AnalyzeArgs {
  file: string[];
  format: ReportFormat;
  client?: string;
  quiet: boolean;
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
        .example('$0 analyze capture.pcapng', 'clients, NAT types, relays, hole punches and findings')
        .example('$0 analyze --format json capture.pcap | jq .findings', 'the report as JSON')
        .example('$0 analyze --client 192.168.2.16 capture.pcap', 'one client only')
        .epilogue(
          'Findings: symmetric-nat, offline, missing-relay, hole-punch-failed, nonce-mismatch, mapping-changed, ' +
            'address-mismatch, bubble-with-payload, malformed-teredo, truncated-capture; each with the frames that ' +
            'prove it and a Wireshark display filter. analyze exits 0 whatever it finds: the findings are the report.\n\n' +
            EXIT_CODES_HELP,
        ),
    async (args) => {
      const query = args.client === undefined ? null : parseClientQuery(args.client);
      if (args.client !== undefined && query === null) throw new UsageError(`--client: '${args.client}' is neither an IPv4[:port] nor an IPv6 address`);
      const files = await expandInputs(args.file.map((arg) => restoreStdinArgument(String(arg))));
      if (files.length === 0) throw new UsageError('no capture files (the directories given are empty)');

      // One analyzer for every file; each file is its own capture with its own frame numbers.
      const analyzer = new TeredoAnalyzer();
      const progress = new ProgressDisplay(context, files, args.quiet);
      const captures: CaptureReportEntry[] = [];
      for (const [index, file] of files.entries()) {
        analyzer.beginCapture(index);
        const result = await streamTeredoPackets(file, (packet) => analyzer.add(packet), {
          input: file === '-' ? context.stdin : undefined,
          onMalformed: (frame, reason) => analyzer.noteMalformed(frame, reason),
          onProgress: (bytes, frames) => progress.update(index, bytes, frames),
        });
        progress.finish();
        if (result.error !== null && (result.error.kind === 'truncated' || result.error.kind === 'damaged')) {
          analyzer.noteTruncated(result.frames, result.error.message);
        }
        captures.push({
          file,
          format: result.summary?.format ?? null,
          packets: result.frames,
          teredoPackets: result.teredoPackets,
          truncated: result.error !== null,
        });
        reportStreamOutcome(result, context);
      }

      let report = buildReport({ captures, analysis: analyzer.finish() });
      if (query !== null) report = filterReportByClient(report, query);
      // Line generators, not one string: a million-client report is far too large to build at once.
      const lines =
        args.format === 'json' ? reportJsonLines(report) : args.format === 'markdown' ? reportMarkdownLines(report) : reportTableLines(report, { color: context.color });
      const sink = new OutputSink(context.stdout);
      for (const line of lines) {
        sink.line(line);
        await sink.flushIfFull();
      }
      await sink.flush();
      context.exit(ExitCode.ok);
    },
  );
}
