import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TSHARK_PACKET_LIMIT, type BenchCaptureInfo } from './bench-capture.js';
import { BENCH_DIST, CLI_PATH } from './bench-paths.js';

export type RowId =
  | 'analyze'
  | 'analyze-raised'
  | 'analyze-workers'
  | 'analyze-startup'
  | 'decode-startup'
  | 'node-startup'
  | 'dissect'
  | 'dissect-only'
  | 'bare-reader'
  | 'pcap-parser'
  | 'tshark';

/** Rows run on every mix; the others only on the data-heavy one (start-up, workers, pcap-parser). */
const EVERY_MIX: readonly RowId[] = ['analyze', 'analyze-raised', 'dissect', 'dissect-only', 'bare-reader', 'tshark'];
/** The server mixes' "limit raised" row: far above any mix's live clients. */
export const RAISED_MAX_LIVE_CLIENTS = 10_000_000;
const TEREDO_ADDRESS = '2001:0:4137:9e50:8000:f12a:b9c8:2815';

/** One command of the comparison, run in a child process of its own. */
export interface BenchRow {
  id: RowId;
  label: string;
  command: string;
  args: string[];
  /** Standard output goes to /dev/null (the CLIs); probes print a JSON line that is checked. */
  discardStdout: boolean;
  /** Keep the last run's standard output in this file instead (reports compared across rows). */
  stdoutFile?: string;
  /** Packets and bytes of the file this row processes (tshark stops after TSHARK_PACKET_LIMIT). */
  packets: number;
  bytes: number;
  /** Exit codes that mean success. */
  okExitCodes: number[];
  /** Why the row is not run, or null. */
  skipped: string | null;
  /** Shown under the table. */
  note: string | null;
}

export interface RowEnvironment {
  analyzeInCli: boolean;
  tsharkAvailable: boolean;
  skipTshark: boolean;
}

export const TSHARK_FIELDS_ARGS = ['-o', 'teredo.heuristic_teredo:TRUE', '-Y', 'teredo', '-T', 'fields', '-e', 'frame.number', '-e', 'teredo.orig.addr', '-e', 'teredo.auth.nonce'];

/** True when the built CLI lists an `analyze` command. */
export function cliHasAnalyze(): boolean {
  const help = spawnSync(process.execPath, [CLI_PATH, '--help'], { encoding: 'utf8' });
  return help.status === 0 && /^\s*teredoscope analyze\b/m.test(help.stdout);
}

export function tsharkInstalled(): boolean {
  const probe = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return probe.error === undefined && probe.status === 0;
}

/**
 * The rows of one comparison on `capture`. `startup`, when given, is a small capture of the same
 * mix for the analyze-startup row: what every analyze run pays before its packets (Node, yargs,
 * loading the stages), which the rate target has to leave room for.
 */
export function planRows(capture: BenchCaptureInfo, env: RowEnvironment, startup: BenchCaptureInfo | null = null): BenchRow[] {
  const rows = allRows(capture, env, startup);
  const mix = capture.mix ?? 'data-heavy';
  if (mix === 'data-heavy') return rows.filter((row) => row.id !== 'analyze-raised');
  return rows.filter((row) => EVERY_MIX.includes(row.id) && (row.id !== 'analyze-raised' || mix.startsWith('server-')));
}

function allRows(capture: BenchCaptureInfo, env: RowEnvironment, startup: BenchCaptureInfo | null): BenchRow[] {
  const node = process.execPath;
  const whole = { packets: capture.packets, bytes: capture.bytes };
  const file = capture.file;
  const rows: BenchRow[] = [];
  rows.push({
    id: 'analyze',
    label: 'teredoscope analyze --format json',
    command: node,
    args: [CLI_PATH, 'analyze', file, '--format', 'json'],
    discardStdout: true,
    ...whole,
    okExitCodes: [0],
    skipped: env.analyzeInCli ? null : 'this build of the CLI has no `analyze` command (check `teredoscope --help`)',
    note: null,
  });
  rows.push({
    id: 'analyze-raised',
    label: `teredoscope analyze --format json --max-live-clients ${RAISED_MAX_LIVE_CLIENTS.toLocaleString('en-US')}`,
    command: node,
    args: [CLI_PATH, 'analyze', file, '--format', 'json', '--max-live-clients', String(RAISED_MAX_LIVE_CLIENTS)],
    discardStdout: true,
    ...whole,
    okExitCodes: [0],
    skipped: env.analyzeInCli ? null : 'this build of the CLI has no `analyze` command (check `teredoscope --help`)',
    note: 'the live-client limit out of the way: its report should be the default run\'s',
  });
  rows.push({
    id: 'analyze-workers',
    label: 'teredoscope analyze --format json --workers',
    command: node,
    args: [CLI_PATH, 'analyze', file, '--format', 'json', '--workers'],
    discardStdout: true,
    ...whole,
    okExitCodes: [0],
    skipped: env.analyzeInCli ? null : 'this build of the CLI has no `analyze` command (check `teredoscope --help`)',
    note: 'decode in a worker thread, analysis on the main thread',
  });
  if (startup !== null) {
    rows.push({
      id: 'analyze-startup',
      label: `teredoscope analyze --format json, ${startup.packets.toLocaleString('en-US')} packets (start-up)`,
      command: node,
      args: [CLI_PATH, 'analyze', startup.file, '--format', 'json'],
      discardStdout: true,
      packets: startup.packets,
      bytes: startup.bytes,
      okExitCodes: [0],
      skipped: env.analyzeInCli ? null : 'this build of the CLI has no `analyze` command (check `teredoscope --help`)',
      note: 'a small capture of the same mix: the time is nearly all start-up (Node, yargs, loading the stages), paid by every run; no rates',
    });
    rows.push({
      id: 'decode-startup',
      label: 'teredoscope decode ADDRESS (start-up)',
      command: node,
      args: [CLI_PATH, 'decode', TEREDO_ADDRESS],
      discardStdout: true,
      packets: 0,
      bytes: 0,
      okExitCodes: [0],
      skipped: null,
      note: 'one address decoded: start-up alone',
    });
    rows.push({
      id: 'node-startup',
      label: 'node -e 0 (bare Node start-up)',
      command: node,
      args: ['-e', '0'],
      discardStdout: true,
      packets: 0,
      bytes: 0,
      okExitCodes: [0],
      skipped: null,
      note: 'what the start-up target is measured against',
    });
  }
  rows.push({ id: 'dissect', label: 'teredoscope dissect --json', command: node, args: [CLI_PATH, 'dissect', '--json', file], discardStdout: true, ...whole, okExitCodes: [0], skipped: null, note: null });
  rows.push({
    id: 'dissect-only',
    label: 'dissection alone (read, decode, dissect; no analysis, no output)',
    command: node,
    args: [join(BENCH_DIST, 'run-dissect-only.js'), file],
    discardStdout: false,
    ...whole,
    okExitCodes: [0],
    skipped: null,
    note: "analyze's floor: what the analysis and the report cost is analyze's time less this",
  });
  rows.push({ id: 'bare-reader', label: 'bare reader (readCapture, records only)', command: node, args: [join(BENCH_DIST, 'run-bare-reader.js'), file], discardStdout: false, ...whole, okExitCodes: [0], skipped: null, note: null });
  rows.push({
    id: 'pcap-parser',
    label: 'pcap-parser bare iteration',
    command: node,
    args: [join(BENCH_DIST, 'run-pcap-parser.js'), file],
    discardStdout: false,
    ...whole,
    okExitCodes: [0],
    skipped: capture.format === 'pcap' ? null : 'pcap-parser reads classic pcap only',
    note: null,
  });
  const tsharkPackets = Math.min(capture.packets, TSHARK_PACKET_LIMIT);
  rows.push({
    id: 'tshark',
    label: `tshark Teredo fields (first ${tsharkPackets.toLocaleString('en-US')})`,
    command: 'tshark',
    args: ['-r', file, '-c', String(tsharkPackets), ...TSHARK_FIELDS_ARGS],
    discardStdout: true,
    packets: tsharkPackets,
    bytes: capture.bytesAtTsharkLimit,
    okExitCodes: [0],
    skipped: env.skipTshark ? '--skip-tshark' : env.tsharkAvailable ? null : 'tshark is not installed',
    note: `tshark reads only the first ${tsharkPackets.toLocaleString('en-US')} packets (-c), as in issue 4's figures; its rates are per packet read`,
  });
  return rows;
}
