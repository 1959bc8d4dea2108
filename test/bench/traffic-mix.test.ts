import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBenchCapture, writeBenchCapture } from '../../src/bench/bench-capture.js';
import { generateMix } from '../../src/bench/traffic-generator.js';
import { readCapture } from '../../src/capture/reader.js';
import { streamTeredoPackets } from '../../src/cli/teredo-stream.js';

/**
 * The benchmark's generated capture: a pure function of its seed, and read by the pipeline with
 * exactly the packet counts the generator says it wrote. Not timed.
 */

const dir = mkdtempSync(join(tmpdir(), 'teredoscope-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('benchmark traffic mix', () => {
  it('writes the same bytes for the same seed and different bytes for another seed', () => {
    const a = writeBenchCapture({ packets: 3000, format: 'pcap', seed: 7 }, join(dir, 'a.pcap'));
    const b = writeBenchCapture({ packets: 3000, format: 'pcap', seed: 7 }, join(dir, 'b.pcap'));
    const c = writeBenchCapture({ packets: 3000, format: 'pcap', seed: 8 }, join(dir, 'c.pcap'));
    expect(digest(a.file)).toBe(digest(b.file));
    expect(a.tally).toEqual(b.tally);
    expect(digest(c.file)).not.toBe(digest(a.file));
  });

  it.each(['pcap', 'pcapng'] as const)('is read back by the pipeline with the generated counts (%s)', async (format) => {
    const info = writeBenchCapture({ packets: 4000, format, seed: 11 }, join(dir, `mix.${format}`));
    const result = await streamTeredoPackets(info.file, () => undefined);
    expect(result.error).toBeNull();
    expect(result.summary?.format).toBe(format);
    expect(result.frames).toBe(4000);
    expect(result.summary?.bytes).toBe(info.bytes);
    // Every Teredo packet the generator wrote is found, and nothing else.
    expect(result.teredoPackets).toBe(info.teredoPackets);
    expect(result.dissect.malformed).toBe(0);
    expect(result.decode.malformed).toBe(0);
    expect(info.tally.byClass['teredo-data'] + info.tally.byClass['teredo-control'] + info.tally.byClass.background).toBe(4000);
  });

  it('is read back record for record, byte for byte, across many read-ahead chunks', async () => {
    const info = writeBenchCapture({ packets: 15_000, format: 'pcap', seed: 4 }, join(dir, 'chunks.pcap'));
    expect(info.bytes).toBeGreaterThan(5 * 1024 * 1024);
    const file = readFileSync(info.file);
    const expected = createHash('sha256');
    for (let at = 24; at < file.length; ) {
      const length = file.readUInt32LE(at + 8);
      expected.update(file.subarray(at + 16, at + 16 + length));
      at += 16 + length;
    }
    const actual = createHash('sha256');
    const summary = await readCapture(info.file, (record) => {
      actual.update(record.buffer.subarray(record.offset, record.offset + record.capturedLength));
    });
    expect(summary.frames).toBe(15_000);
    expect(actual.digest('hex')).toBe(expected.digest('hex'));
  });

  it('holds what the benchmark promises: most packets Teredo data, clients of every NAT type, punches, background', () => {
    const tally = generateMix(30_000, 5, () => undefined);
    expect(tally.packets).toBe(30_000);
    expect(tally.byClass['teredo-data']).toBeGreaterThan(tally.packets / 2);
    expect(tally.byClass['teredo-control']).toBeGreaterThan(0);
    expect(tally.byClass.background).toBeGreaterThan(tally.packets / 5);
    for (const count of Object.values(tally.teredoClients.byNat)) expect(count).toBeGreaterThan(0);
    expect(tally.teredoClients.punches).toBeGreaterThan(0);
    expect(tally.teredoClients.flows).toBeGreaterThan(0);
  });

  it('hands out frames in capture-time order', () => {
    let last = -1;
    let ordered = true;
    generateMix(5000, 2, (seconds, nanos) => {
      const time = seconds * 1e9 + nanos;
      if (time < last) ordered = false;
      last = time;
    });
    expect(ordered).toBe(true);
  });

  it('reuses a cached capture instead of generating it again', () => {
    const first = ensureBenchCapture({ packets: 2000, format: 'pcap', seed: 3 }, dir);
    const firstDigest = digest(first.file);
    const second = ensureBenchCapture({ packets: 2000, format: 'pcap', seed: 3 }, dir);
    expect(second.file).toBe(first.file);
    expect(second.generatedInSeconds).toBe(first.generatedInSeconds);
    expect(digest(second.file)).toBe(firstDigest);
  });
});
