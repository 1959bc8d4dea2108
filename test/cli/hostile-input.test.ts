import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { captureToBuffer, concatBytes } from '../../src/capture/capture-file.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { dissectFrames, hostileScratch, interfaceBlock, outputLines, SOLICITATION, teredoPcap } from '../support/hostile-captures.js';
import { runCli } from './support/run-cli.js';

/*
 * Issue 16 ("hostile input, second round") through the built CLI: each hostile input is built
 * here; each case checks the exit code, the one-line error and the packets reported before the
 * damage.
 */

const { path } = hostileScratch('cli');

function write(name: string, bytes: Uint8Array): string {
  const file = path(name);
  writeFileSync(file, bytes);
  return file;
}

describe('class 1: tables that grow with the input', () => {
  it('a capture declaring all 65,536 link types gets one warning line, with counts', async () => {
    const blocks: Uint8Array[] = [];
    for (let linkType = 0; linkType < 65_536; linkType++) blocks.push(interfaceBlock(linkType));
    const packets = captureToBuffer((sink) => {
      // A writer with one interface, only for its packet blocks: the section header and its IDB are cut off.
      const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] });
      for (let id = 0; id < 65_536; id++) writer.write({ seconds: 1_700_000_000, nanos: 0, data: SOLICITATION, interfaceId: 0 });
    });
    const header = captureToBuffer((sink) => new PcapngWriter(sink, { interfaces: [] }));
    const packetBlocks = packets.subarray(header.length + 20);
    // Point packet k at interface k (the enhanced packet block's interface id is at byte 8).
    const blockLength = new DataView(packetBlocks.buffer, packetBlocks.byteOffset).getUint32(4, true);
    const view = new DataView(packetBlocks.buffer, packetBlocks.byteOffset, packetBlocks.byteLength);
    for (let id = 0; id < 65_536; id++) view.setUint32(id * blockLength + 8, id, true);
    const file = write('link-types.pcapng', concatBytes([header, ...blocks, packetBlocks]));

    const run = await runCli(['dissect', '-q', file]);
    const warnings = outputLines(run.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`^teredoscope: ${file}: 65,5\\d\\d link types are not supported \\(2, 3, 4, 5, 6, and 65,5\\d\\d more\\); 65,5\\d\\d frames skipped$`),
    );
    expect(run.code).toBe(0);
  });
});

describe('class 2: bytes after a gzip member', () => {
  it('trailing text: the 3 packets, then exit 4 naming the offset', async () => {
    const member = gzipSync(teredoPcap(3));
    const file = write('trailing.pcap.gz', Buffer.concat([member, Buffer.from('hello\n')]));
    const run = await runCli(['dissect', '-q', file]);
    expect(dissectFrames(run.stdout)).toEqual([1, 2, 3]);
    expect(outputLines(run.stderr)).toEqual([
      `teredoscope: ${file}: corrupt gzip data after frame 3 (byte offset ${member.length}: what follows the last gzip member is not gzip data)`,
    ]);
    expect(run.code).toBe(4);
  });

  it('a corrupt second member after 60,000 packets: all of them are reported', async () => {
    const member = gzipSync(teredoPcap(60_000));
    const corrupt = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 9, 9]);
    const file = write('second.pcap.gz', Buffer.concat([member, corrupt]));
    const run = await runCli(['dissect', '-q', file]);
    const frames = dissectFrames(run.stdout);
    expect(frames).toHaveLength(60_000);
    expect(frames.at(-1)).toBe(60_000);
    expect(outputLines(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^teredoscope: ${file}: corrupt gzip data after frame 60000 \\(gzip member at byte offset ${member.length}: .+\\)$`)),
    ]);
    expect(run.code).toBe(4);
  });
});

describe('class 7: exit codes', () => {
  it('an unknown pcap version at byte 0 is unreadable (exit 3): nothing was read', async () => {
    const bytes = teredoPcap(2);
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(4, 3, true);
    const file = write('version.pcap', bytes);
    const run = await runCli(['dissect', '-q', file]);
    expect(run.stdout).toBe('');
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${file}: unsupported pcap version 3.4`]);
    expect(run.code).toBe(3);
  });

  it('a pcapng section of an unknown major version at byte 0 is unreadable (exit 3)', async () => {
    const bytes = captureToBuffer((sink) => new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] }).write({ seconds: 1, nanos: 0, data: SOLICITATION }));
    new DataView(bytes.buffer, bytes.byteOffset).setUint16(12, 2, true);
    const file = write('version.pcapng', bytes);
    const run = await runCli(['dissect', '-q', file]);
    expect(run.stdout).toBe('');
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${file}: block at byte offset 0: unsupported pcapng version 2.0`]);
    expect(run.code).toBe(3);
  });

  it('a later section of an unknown version is still damage part-way (exit 4), after the packets before it', async () => {
    const section = captureToBuffer((sink) => new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] }).write({ seconds: 1, nanos: 0, data: SOLICITATION }));
    const later = new Uint8Array(section);
    new DataView(later.buffer).setUint16(12, 2, true);
    const file = write('later.pcapng', concatBytes([section, later]));
    const run = await runCli(['dissect', '-q', file]);
    expect(dissectFrames(run.stdout)).toEqual([1]);
    expect(outputLines(run.stderr)).toEqual([`teredoscope: ${file}: block at byte offset ${section.length}: unsupported pcapng version 2.0`]);
    expect(run.code).toBe(4);
  });
});

describe('class 7: decode reads standard input as a stream', () => {
  const ADDRESS = '2001:0:4137:9e50:8000:f12a:b9c8:2815';

  it('more than 16 MiB on standard input is decoded, not an internal error', async () => {
    const comment = `# ${'x'.repeat(1021)}\n`; // 1 KiB a line
    const stdin = `${ADDRESS}\n${comment.repeat(17 * 1024)}${ADDRESS}\n`;
    const run = await runCli(['decode', '--json'], { stdin });
    expect(run.stderr).toBe('');
    expect(outputLines(run.stdout).map((line) => (JSON.parse(line) as { address: string }).address)).toEqual([
      '2001:0:4137:9e50:8000:f12a:b9c8:2815',
      '2001:0:4137:9e50:8000:f12a:b9c8:2815',
    ]);
    expect(run.code).toBe(0);
  });

  it('a line longer than 4096 bytes is reported by number and skipped; the others are decoded (exit 1)', async () => {
    const run = await runCli(['decode', '--json'], { stdin: `${ADDRESS}\n${'a'.repeat(20 * 1024 * 1024)}\n${ADDRESS}` });
    expect(outputLines(run.stderr)).toEqual(['teredoscope: standard input, line 2: longer than 4096 bytes, not an address']);
    expect(outputLines(run.stdout)).toHaveLength(2);
    expect(run.code).toBe(1);
  });

  it('the table is printed as lines arrive, in tables of 1,000 rows', async () => {
    const run = await runCli(['decode'], { stdin: `${ADDRESS}\n`.repeat(1500) });
    expect(run.code).toBe(0);
    expect(outputLines(run.stdout).filter((line) => line.includes('2001:0:4137:9e50:8000:f12a:b9c8:2815'))).toHaveLength(1500);
    expect(outputLines(run.stdout).filter((line) => line.includes('mapped IPv4'))).toHaveLength(2);
  });
});

describe("class 7: '-' named twice", () => {
  it('is a usage error (exit 2), not an empty second capture', async () => {
    for (const command of ['dissect', 'analyze']) {
      const run = await runCli([command, '-', '-'], { stdin: teredoPcap(2) });
      expect(run.stdout).toBe('');
      expect(outputLines(run.stderr)).toEqual([`teredoscope: standard input ('-') can be named only once (see 'teredoscope ${command} --help')`]);
      expect(run.code).toBe(2);
    }
  });
});
