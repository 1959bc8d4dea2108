import { parseArgs } from 'node:util';
import { isMixId, MIX_IDS, MIXES, type MixId } from './bench-mixes.js';
import type { BenchFormat } from './capture-output.js';

export interface BenchOptions {
  /** Workloads to run, in order. */
  mixes: MixId[];
  /** Packets per mix: --packets for every mix, else each mix's default (or its --quick size). */
  packetsFor: Record<MixId, number>;
  /** The data-heavy mix's packets (kept for the sizes comparison and the results file). */
  packets: number;
  quick: boolean;
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

  --mixes IDS        comma-separated workloads (default all): ${MIX_IDS.join(',')}
  --quick            smaller captures (200,000 packets each) and one run per row: a few minutes
  --packets N        packets in every generated mix (default: data-heavy 2000000, the others
                     1000000)
  --format F         pcap or pcapng (default pcap)
  --seed S           generator seed (default 1)
  --runs R           runs per row; median time, highest peak RSS (default 3, 1 with --quick)
  --only IDS         comma-separated rows: analyze,analyze-raised,analyze-workers,
                     analyze-startup,decode-startup,node-startup,dissect,dissect-only,
                     bare-reader,
                     pcap-parser,tshark
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
      mixes: { type: 'string' },
      quick: { type: 'boolean' },
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
  const quick = values.quick === true;
  const mixes = values.mixes === undefined ? [...MIX_IDS] : values.mixes.split(',').map((id) => id.trim());
  for (const id of mixes) if (!isMixId(id)) throw new Error(`--mixes: unknown mix ${JSON.stringify(id)} (known: ${MIX_IDS.join(', ')})`);
  const given = values.packets === undefined ? null : packetCount('--packets', values.packets);
  const packetsFor = Object.fromEntries(MIX_IDS.map((id) => [id, given ?? (quick ? MIXES[id].quickPackets : MIXES[id].packets)])) as Record<MixId, number>;
  return {
    mixes: mixes as MixId[],
    packetsFor,
    quick,
    packets: given ?? (quick ? MIXES['data-heavy'].quickPackets : DEFAULT_PACKETS),
    format,
    seed: integer('--seed', values.seed ?? '1', 0, 0xffffffff),
    skipTshark: values['skip-tshark'] === true,
    sizes: values.sizes === undefined ? [] : values.sizes.split(',').map((size) => packetCount('--sizes', size)),
    runs: integer('--runs', values.runs ?? (quick ? '1' : '3'), 1, 100),
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
