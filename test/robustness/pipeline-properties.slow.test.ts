import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { generateCase, runCase } from '../../src/fuzz/fuzz-case.js';
import { applyMutations, randomMutations } from '../../src/fuzz/mutations.js';
import { runPipeline, type PipelineRunOptions } from '../../src/fuzz/pipeline-check.js';
import { randomFrames } from '../../src/fuzz/random-frames.js';
import { corpus, realCaptures, writerCaptures } from './support/corpus.js';
import { randomSource } from './support/fast-check-random.js';

/*
 * The robustness properties (src/fuzz/pipeline-check.ts) on a modest number of inputs per run;
 * `npm run fuzz` runs the same properties at scale. Each property reads the input through
 * reader → decoder → dissector → analyzer and fails on: any exception but a documented
 * CaptureError, a malformed record (also before an error), counters that do not add up, packets
 * that do not own their bytes, and (where a second reading is made) a different result when the
 * same bytes arrive in other pieces, in recycled buffers, or gzipped.
 */

const readOptions: fc.Arbitrary<PipelineRunOptions> = fc.record(
  {
    chunkSize: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 })),
    streamChunkSize: fc.integer({ min: 1, max: 8192 }),
  },
  { requiredKeys: [] },
);

async function expectNoViolations(input: Uint8Array, options: PipelineRunOptions, compareWith?: PipelineRunOptions): Promise<void> {
  const outcome = await runPipeline(input, options);
  expect(outcome.violations).toEqual([]);
  if (compareWith === undefined) return;
  const other = await runPipeline(input, { ...compareWith, analyze: false });
  expect(other.violations).toEqual([]);
  expect({ records: other.records, packets: other.teredoPackets, error: other.error?.message ?? null, digest: other.digest }).toEqual({
    records: outcome.records,
    packets: outcome.teredoPackets,
    error: outcome.error?.message ?? null,
    digest: outcome.digest,
  });
}

describe('pipeline robustness properties', () => {
  it('random bytes, bare or after a valid file header', async () => {
    const header = fc.constantFrom(
      new Uint8Array(0),
      Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0),
      Uint8Array.of(0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0),
    );
    await fc.assert(
      fc.asyncProperty(header, fc.uint8Array({ maxLength: 2048 }), readOptions, async (prefix, body, options) => {
        const input = new Uint8Array(prefix.length + body.length);
        input.set(prefix);
        input.set(body, prefix.length);
        await expectNoViolations(input, options);
      }),
      { numRuns: 200 },
    );
  });

  for (const [label, entries] of [['real captures', realCaptures], ['writer-built captures', writerCaptures]] as const) {
    it(`${label} with bytes flipped, cut, deleted, duplicated or inserted`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: entries.length - 1 }), randomSource, readOptions, readOptions, async (which, random, options, other) => {
          const entry = entries[which];
          const input = applyMutations(entry.bytes, randomMutations(random, entry.bytes.length, entry.hotOffsets));
          await expectNoViolations(input, options, other);
        }),
        { numRuns: 120 },
      );
    });
  }

  it('valid files of random Teredo-like frames, whole or damaged', async () => {
    await fc.assert(
      fc.asyncProperty(randomSource, fc.boolean(), readOptions, async (random, damage, options) => {
        const frames = randomFrames(random, 1 + random.int(30));
        const written = captureToBuffer((sink) => {
          const writer = new PcapWriter(sink, { linkType: frames[0].linkType });
          frames.forEach((frame, i) => writer.write({ seconds: 1_700_000_000 + i, nanos: 0, data: frame.data }));
        });
        const input = damage ? applyMutations(written, randomMutations(random, written.length, [], 3)) : written;
        await expectNoViolations(input, options, { gzip: true });
      }),
      { numRuns: 80 },
    );
  });

  it('corrupt gzip data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: corpus.length - 1 }), randomSource, readOptions, async (which, random, options) => {
        const compressed = gzipSync(corpus[which].bytes);
        await expectNoViolations(applyMutations(compressed, randomMutations(random, compressed.length, [], 3)), options);
      }),
      { numRuns: 60 },
    );
  });

  it('the fuzz runner’s own case mix', async () => {
    await fc.assert(
      fc.asyncProperty(randomSource, async (random) => {
        expect(await runCase(generateCase(random, corpus))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('every seed capture reads the same whole, byte by byte, and in small recycled pieces', async () => {
    for (const entry of corpus) {
      const whole = await runPipeline(entry.bytes);
      expect(whole.violations, entry.name).toEqual([]);
      expect(whole.error, entry.name).toBeNull();
      expect(whole.records, entry.name).toBeGreaterThan(0);
      for (const options of [{ chunkSize: 1 }, { chunkSize: 3, streamChunkSize: 7 }, { streamChunkSize: 1 }, { chunkSize: 64, streamChunkSize: 100 }, { streamChunkSize: 1500 }, { streamChunkSize: 3000 }, { gzip: true, chunkSize: 5 }]) {
        const pieces = await runPipeline(entry.bytes, { ...options, analyze: false });
        expect(pieces.violations, `${entry.name} ${JSON.stringify(options)}`).toEqual([]);
        expect(pieces.digest, `${entry.name} ${JSON.stringify(options)}`).toBe(whole.digest);
      }
    }
  });
});
