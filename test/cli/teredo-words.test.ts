import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureToBuffer } from '../../src/capture/capture-file.js';
import type { PacketToWrite } from '../../src/capture/packet-to-write.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { recordBytes } from '../../src/capture/record.js';
import { SAMPLE, SCENARIOS, scratchDir, type JsonReport } from './support/everyday.js';
import { runCli } from './support/run-cli.js';

const dir = scratchDir();

describe('in the words people use', () => {
  it('table and JSON carry state, console label, cause, server and RS→RA time', async () => {
    const report = JSON.parse((await runCli(['analyze', '--json', SAMPLE])).stdout) as JsonReport;
    expect(report.clients[0]).toMatchObject({ state: 'qualified', console: 'Open', portPreserving: true, cause: null, server: { primary: '65.55.158.80' } });
    expect(report.clients[0].rsRaRoundTripMs).toBeGreaterThan(0);
    const offline = await runCli(['analyze', `${SCENARIOS}/offline-inside.pcap`]);
    expect(offline.stdout).toContain('Teredo unable to qualify');
    expect(offline.stdout).toMatch(/│ offline\s+│ offline\s+│/);
    expect(offline.stdout).toContain('Router Solicitations to UDP 3544 never');
  });
});

describe('double NAT', () => {
  // The restricted scenario with its NAT's public address 203.0.113.7 replaced by 100.64.215.199
  // (carrier-grade NAT space) wherever it appears, plain or obfuscated: both have the same 16-bit
  // one's-complement sum, so every checksum stays valid.
  const patch = (name: string): string => {
    const bytes = readFileSync(`${SCENARIOS}/${name}.pcap`);
    const swaps: [number[], number[]][] = [[[0xcb, 0x00, 0x71, 0x07], [0x64, 0x40, 0xd7, 0xc7]]];
    swaps.push([swaps[0][0].map((b) => ~b & 0xff), swaps[0][1].map((b) => ~b & 0xff)]);
    for (const [from, to] of swaps) for (let at = bytes.indexOf(Buffer.from(from)); at !== -1; at = bytes.indexOf(Buffer.from(from), at + 1)) bytes.set(to, at);
    const path = join(dir, `${name}-cgn.pcap`);
    writeFileSync(path, bytes);
    return path;
  };

  it.each(['restricted-inside', 'restricted-outside'])('%s behind carrier-grade NAT: a double-nat finding and the cause', async (name) => {
    const run = await runCli(['analyze', '--json', patch(name)]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.kind)).toEqual(['double-nat']);
    expect(report.clients[0].cause).toMatch(/^double NAT: the server saw 100\.64\.215\.199/);
    const table = await runCli(['analyze', patch(name)]);
    expect(table.stdout).toMatch(/WARNING double-nat {2}client /);
  });
});

describe('a capture that starts after the qualification', () => {
  it('names the server from the Teredo address and keeps the relay a relay (no server socket as relay)', async () => {
    // wireshark-teredo.pcap from frame 8 on: the RS/RA (6, 7) are not in the capture.
    const kept: PacketToWrite[] = [];
    await readCapture(SAMPLE, (record) => {
      if (record.frame >= 8) kept.push({ seconds: record.seconds, nanos: record.nanos, data: recordBytes(record).slice() });
    });
    const path = join(dir, 'after-qualification.pcap');
    writeFileSync(path, captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1 });
      for (const packet of kept) writer.write(packet);
    }));
    const report = JSON.parse((await runCli(['analyze', '--json', path])).stdout) as JsonReport;
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({ qualified: true, state: 'qualified', server: { primary: '65.55.158.80' } });
    expect((report.clients[0] as unknown as { relays: unknown[] }).relays).toEqual([{ address: '83.170.1.38', port: 32900, ipv6: 'fe80::708d:fe83:4114:a512' }]);
  });
});
