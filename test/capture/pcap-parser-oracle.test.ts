import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { packetBytes, readAll, temporaryDirectory } from './support/read-all.js';

/** The parts of the pcap-parser package (CommonJS, untyped) that the oracle uses. */
interface PcapParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface PcapParserEvents {
  on(event: 'packet', listener: (packet: PcapParserPacket) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(input: NodeJS.ReadableStream): PcapParserEvents };

interface OracleRecord {
  seconds: number;
  nanos: number;
  capturedLength: number;
  originalLength: number;
  hex: string;
}

function readWithPcapParser(path: string): Promise<OracleRecord[]> {
  return new Promise((resolve, reject) => {
    const records: OracleRecord[] = [];
    pcapParser
      .parse(createReadStream(path))
      .on('packet', ({ header, data }) => {
        records.push({
          seconds: header.timestampSeconds,
          nanos: header.timestampMicroseconds * 1000,
          capturedLength: header.capturedLength,
          originalLength: header.originalLength,
          hex: data.toString('hex'),
        });
      })
      .on('error', reject)
      .on('end', () => resolve(records));
  });
}

async function expectSameAsOracle(path: string, chunkSize?: number): Promise<number> {
  const oracle = await readWithPcapParser(path);
  const { records, error } = await readAll(path, { chunkSize });
  expect(error).toBeNull();
  expect(records.map(({ seconds, nanos, capturedLength, originalLength, hex }) => ({ seconds, nanos, capturedLength, originalLength, hex }))).toEqual(oracle);
  return oracle.length;
}

const file = temporaryDirectory('oracle');

/** Every classic µs pcap among the real captures, subfolders included (the only format pcap-parser reads). */
const REAL_MICROSECOND_PCAPS = readdirSync('fixtures/real', { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => join(entry.parentPath, entry.name))
  .filter((path) => {
    const magic = readFileSync(path).subarray(0, 4).toString('hex');
    return magic === 'a1b2c3d4' || magic === 'd4c3b2a1';
  });

describe('differential check against the pcap-parser package', () => {
  it('has real microsecond captures to compare', () => {
    expect(REAL_MICROSECOND_PCAPS.length).toBeGreaterThanOrEqual(5);
  });

  for (const path of REAL_MICROSECOND_PCAPS) {
    it(`agrees on ${path}`, async () => {
      expect(await expectSameAsOracle(path)).toBeGreaterThan(0);
      await expectSameAsOracle(path, 5);
    });
  }

  for (const bigEndian of [false, true]) {
    it(`agrees on a synthetic ${bigEndian ? 'big' : 'little'}-endian µs pcap of varied packets`, async () => {
      const bytes = captureToBuffer((sink) => {
        const writer = new PcapWriter(sink, { linkType: 1, bigEndian });
        for (let i = 0; i < 500; i++) {
          const length = (i * 97) % 1600;
          writer.write({ seconds: 1_000_000_000 + i * 3, nanos: (i * 7919 % 1_000_000) * 1000, data: packetBytes(length, i), originalLength: length + (i % 5) });
        }
      });
      const path = file(`synthetic-${bigEndian}.pcap`);
      await writeCaptureFile(path, bytes);
      expect(await expectSameAsOracle(path)).toBe(500);
      await expectSameAsOracle(path, 333);
    });
  }
});
