import type { Argv } from 'yargs';
import { frameReference, MAX_REFERENCE_CAPTURES } from '../../analysis/frame-reference.js';
import { TeredoAnalyzer } from '../../analysis/teredo-analyzer.js';
import { DEFAULT_MAX_LIVE_CLIENTS } from '../../analysis/protocol-timing.js';
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
import { inputDisplayName, restoreStdinArgument } from '../stdin-argument.js';
import { WORKERS_OPTION } from '../workers-option.js';
import { streamMergedTeredoPackets } from '../merged-teredo-stream.js';
import { compareTimestamps, peekFirstTimestamp } from '../peek-first-timestamp.js';
import { UsageError } from '../usage-error.js';

const FORMATS = ['table', 'json', 'markdown'] as const;
type ReportFormat = (typeof FORMATS)[number];

interface AnalyzeArgs {
  file: string[];
  format: ReportFormat;
  client?: string;
  quiet: boolean;
  workers: boolean;
  'max-live-clients': number;
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
        .example('$0 analyze capture.pcapng', 'clients, NAT types, relays, hole punches and findings')
        .example('$0 analyze --format json capture.pcap | jq .findings', 'the report as JSON')
        .example('$0 analyze --client 192.168.2.16 capture.pcap', 'one client only')
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
      const maxLiveClients = args['max-live-clients'];
      if (!Number.isSafeInteger(maxLiveClients) || maxLiveClients < 1) {
        throw new UsageError(`--max-live-clients: expected a positive integer, got '${String(maxLiveClients)}'`);
      }
      const query = args.client === undefined ? null : parseClientQuery(args.client);
      if (args.client !== undefined && query === null) throw new UsageError(`--client: '${args.client}' is neither an IPv4[:port] nor an IPv6 address`);
      const files = await expandInputs(args.file.map((arg) => restoreStdinArgument(String(arg))));
      if (files.length === 0) throw new UsageError('no capture files (the directories given are empty)');

      if (files.length > MAX_REFERENCE_CAPTURES) throw new UsageError(`at most ${MAX_REFERENCE_CAPTURES} capture files at once (got ${files.length})`);
      // Captures in the order of their first packet: their indexes, and so the frame references,
      // then ascend with time for rotated files whatever order they were named in.
      const ordered = files.length > 1 ? await inTimeOrder(files) : files;

      // One timeline, one analysis: a client seen across rotated files is one client. Each packet
      // carries a frame reference (capture, frame) so that no two files' frames are confused.
      const analyzer = new TeredoAnalyzer({ captureNames: ordered.length > 1 ? ordered.map(inputDisplayName) : [], maxLiveClients });
      const progress = new ProgressDisplay(context, ordered, args.quiet);
      const results = await streamMergedTeredoPackets(
        ordered,
        (packet, source) => {
          packet.frame = frameReference(source, packet.frame);
          analyzer.add(packet);
        },
        {
          stdin: context.stdin,
          onMalformed: (source, frame, reason) => analyzer.noteMalformed(frameReference(source, frame), reason),
          onProgress: (source, bytes, frames) => progress.update(source, bytes, frames),
          workers: args.workers,
        },
      );
      progress.finish();
      const captures: CaptureReportEntry[] = [];
      for (const [index, result] of results.entries()) {
        // Earlier packets of a broken file are analysed, and the files after it still read.
        if (result.error !== null && (result.error.kind === 'truncated' || result.error.kind === 'damaged')) {
          analyzer.noteTruncated(frameReference(index, result.frames), result.error.message);
        }
        captures.push({
          file: result.file,
          format: result.summary?.format ?? result.error?.format ?? null,
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

/**
 * Files sorted by the time of their first frame (stable); those without one (standard input,
 * unreadable or empty files) come first, where the merge reports them.
 */
async function inTimeOrder(files: readonly string[]): Promise<string[]> {
  const firsts = await Promise.all(files.map((file) => (file === '-' ? null : peekFirstTimestamp(file))));
  const order = files.map((_, index) => index);
  order.sort((a, b) => {
    const x = firsts[a];
    const y = firsts[b];
    if (x === null || y === null) return x === y ? a - b : x === null ? -1 : 1;
    return compareTimestamps(x, y) || a - b;
  });
  return order.map((index) => files[index]);
}
