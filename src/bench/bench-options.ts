import { parseArgs } from 'node:util';
import type { BenchFormat } from './capture-output.js';

export interface BenchOptions {
  packets: number;
  format: BenchFormat;
  seed: number;
  skipTshark: boolean;
  /** Capture sizes for the peak-RSS flatness comparison (empty: not run). */
  sizes: number[];
  /** Runs per row; the table shows the median time and the highest peak RSS. */
  runs: number;
  /** Rows to run (ids); empty = all. */
  only: string[];
  /** Results JSON path. */
  out: string | null;
  help: boolean;
}

export const DEFAULT_PACKETS = 2_000_000;
export const MIN_PACKETS = 1_000;
export const MAX_PACKETS = 50_000_000;

export const BENCH_USAGE = `Usage: npm run bench -- [options]

  --packets N        packets in the generated mix (default 2000000)
  --format F         pcap or pcapng (default pcap)
  --seed S           generator seed (default 1)
  --runs R           runs per row; median time, highest peak RSS (default 3)
  --only IDS         comma-separated rows: analyze,analyze-workers,analyze-startup,dissect,
                     bare-reader,pcap-parser,tshark
  --skip-tshark      leave tshark out
  --sizes A,B        peak-RSS flatness: analyze on captures of A and B packets (e.g.
                     200000,5000000; --only adds dissect or bare-reader); the largest must stay
                     within 1.25x of the smallest
  --out FILE         results JSON (default .bench/results.json)

Captures are generated once and cached in .bench/ by seed, size and format.`;

/** Parses the pass-through arguments of `npm run bench -- …`; throws Error with a message on bad input. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      packets: { type: 'string' },
      format: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      'skip-tshark': { type: 'boolean' },
      sizes: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const format = values.format ?? 'pcap';
  if (format !== 'pcap' && format !== 'pcapng') throw new Error(`--format must be pcap or pcapng, got ${format}`);
  return {
    packets: packetCount('--packets', values.packets ?? String(DEFAULT_PACKETS)),
    format,
    seed: integer('--seed', values.seed ?? '1', 0, 0xffffffff),
    skipTshark: values['skip-tshark'] === true,
    sizes: values.sizes === undefined ? [] : values.sizes.split(',').map((size) => packetCount('--sizes', size)),
    runs: integer('--runs', values.runs ?? '3', 1, 100),
    only: values.only === undefined ? [] : values.only.split(',').map((id) => id.trim()),
    out: values.out ?? null,
    help: values.help === true,
  };
}

function packetCount(name: string, text: string): number {
  const value = integer(name, text.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'), MIN_PACKETS, MAX_PACKETS);
  return value;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number in ${min}..${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}
