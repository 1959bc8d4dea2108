import { gzipSync } from 'node:zlib';
import { captureToBuffer } from '../capture/capture-file.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import type { SeedFrame } from './corpus-frames.js';
import type { CorpusEntry } from './corpus.js';
import { writeCaptureSpec, type CaptureSpec } from './capture-spec.js';
import { randomCaptureSpec } from './capture-spec-random.js';
import { applyMutations, describeMutation, randomMutations } from './mutations.js';
import { runPipeline, type PipelineRunOptions } from './pipeline-check.js';
import { randomFrames } from './random-frames.js';
import { chance, pick, smallInt, type Random } from './random.js';
import { checkRoundTrip } from './roundtrip-check.js';

export type FuzzCaseKind = 'mutated-seed' | 'random-records' | 'round-trip' | 'random-bytes' | 'gzip-mutated';

/** One generated input and how to read it. */
export interface FuzzCase {
  kind: FuzzCaseKind;
  /** How the input was made (seed capture, mutations…), for the reproducer. */
  notes: string[];
  /** The capture bytes (for round-trip cases, what the writer wrote). */
  input: Uint8Array;
  options: PipelineRunOptions;
  /** A second way of reading the same input that must produce the same digest, or null. */
  compareWith: PipelineRunOptions | null;
  /** Round-trip cases: what was written. */
  spec: CaptureSpec | null;
}

/** Share of each kind, in percent. */
const KIND_WEIGHTS: [FuzzCaseKind, number][] = [
  ['mutated-seed', 50],
  ['random-records', 20],
  ['round-trip', 12],
  ['random-bytes', 10],
  ['gzip-mutated', 8],
];

export function generateCase(random: Random, corpus: readonly CorpusEntry[]): FuzzCase {
  const kind = pickKind(random);
  const options = randomReadOptions(random);
  const compareWith = chance(random, 1, 3) ? { ...randomReadOptions(random), gzip: chance(random, 1, 8), analyze: false } : null;
  switch (kind) {
    case 'mutated-seed': {
      const entry = pick(random, corpus);
      const mutations = randomMutations(random, entry.bytes.length, entry.hotOffsets);
      return { kind, notes: [`seed capture ${entry.name}`, ...mutations.map(describeMutation)], input: applyMutations(entry.bytes, mutations), options, compareWith, spec: null };
    }
    case 'random-records': {
      const frames = randomFrames(random, smallInt(random, 1, 40));
      const pcapng = chance(random, 1, 2);
      const written = pcapng ? writePcapng(frames) : writePcap(frames);
      const mutations = chance(random, 1, 2) ? randomMutations(random, written.length, [], 3) : [];
      const notes = [`${frames.length} random frames in ${pcapng ? 'pcapng' : 'pcap'}`, ...mutations.map(describeMutation)];
      return { kind, notes, input: applyMutations(written, mutations), options, compareWith, spec: null };
    }
    case 'round-trip': {
      const spec = randomCaptureSpec(random);
      return { kind, notes: ['writer round trip', JSON.stringify(spec)], input: writeCaptureSpec(spec).bytes, options: { ...options, gzip: chance(random, 1, 5) }, compareWith: null, spec };
    }
    case 'random-bytes': {
      const prefix = pick(random, [new Uint8Array(0), PCAP_HEADER, PCAP_HEADER_SWAPPED, PCAPNG_HEADER]);
      const body = random.bytes(smallInt(random, 0, 2048));
      const input = new Uint8Array(prefix.length + body.length);
      input.set(prefix);
      input.set(body, prefix.length);
      return { kind, notes: [`${prefix.length}-byte header and ${body.length} random bytes`], input, options, compareWith, spec: null };
    }
    case 'gzip-mutated': {
      const entry = pick(random, corpus);
      const compressed = gzipSync(entry.bytes);
      const mutations = randomMutations(random, compressed.length, [], 3);
      // No second reading: how much of a corrupt gzip stream inflates before zlib notices depends on
      // how the input is cut, so the records delivered before the error legitimately vary.
      return { kind, notes: [`gzip of ${entry.name}`, ...mutations.map(describeMutation)], input: applyMutations(compressed, mutations), options, compareWith: null, spec: null };
    }
  }
}

/**
 * Runs a case: the pipeline properties on its input (read the way `options` says), the same
 * digest when read another way, and for round-trip cases the writer/reader identity first.
 * Returns the violations (empty: the case passed).
 */
export async function runCase(fuzzCase: FuzzCase): Promise<string[]> {
  const input = fuzzCase.input;
  if (fuzzCase.spec !== null) {
    const violations = await checkRoundTrip(fuzzCase.spec, fuzzCase.options);
    if (violations.length > 0) return violations.map((violation) => `round trip: ${violation}`);
  }
  const outcome = await runPipeline(input, fuzzCase.options);
  if (outcome.violations.length > 0 || fuzzCase.compareWith === null) return outcome.violations;
  const other = await runPipeline(input, fuzzCase.compareWith);
  if (other.violations.length > 0) return other.violations.map((violation) => `read as ${describeOptions(fuzzCase.compareWith!)}: ${violation}`);
  if (other.digest !== outcome.digest) {
    return [
      `reading as ${describeOptions(fuzzCase.options)} and as ${describeOptions(fuzzCase.compareWith)} gave different results ` +
        `(${outcome.records} vs ${other.records} records, ${outcome.teredoPackets} vs ${other.teredoPackets} Teredo packets, ` +
        `error ${JSON.stringify(outcome.error?.message ?? null)} vs ${JSON.stringify(other.error?.message ?? null)})`,
    ];
  }
  return [];
}

export function describeOptions(options: PipelineRunOptions): string {
  const parts = [`chunk size ${options.chunkSize ?? 'default'}`, `stream chunks of ${options.streamChunkSize ?? 'all'} bytes`];
  if (options.gzip === true) parts.push('gzipped');
  return parts.join(', ');
}

function pickKind(random: Random): FuzzCaseKind {
  let roll = random.int(100);
  for (const [kind, weight] of KIND_WEIGHTS) {
    if (roll < weight) return kind;
    roll -= weight;
  }
  return 'mutated-seed';
}

function randomReadOptions(random: Random): PipelineRunOptions {
  const options: PipelineRunOptions = {};
  if (chance(random, 1, 3)) options.chunkSize = smallInt(random, 1, 4096);
  if (chance(random, 1, 2)) options.streamChunkSize = smallInt(random, 1, 8192);
  return options;
}

const PCAP_HEADER = Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0);
const PCAP_HEADER_SWAPPED = Uint8Array.of(0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 101);
const PCAPNG_HEADER = Uint8Array.of(
  0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0,
  1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
);

function writePcap(frames: SeedFrame[]): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapWriter(sink, { linkType: frames[0]?.linkType ?? 1 });
    frames.forEach((frame, i) => writer.write({ seconds: 1_700_000_000 + i, nanos: i * 1000, data: frame.data }));
  });
}

function writePcapng(frames: SeedFrame[]): Uint8Array {
  const linkTypes = [...new Set(frames.map((frame) => frame.linkType))];
  return captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { interfaces: linkTypes.map((linkType) => ({ linkType })) });
    frames.forEach((frame, i) => writer.write({ seconds: 1_700_000_000 + i, nanos: i, data: frame.data, interfaceId: linkTypes.indexOf(frame.linkType) }));
  });
}
