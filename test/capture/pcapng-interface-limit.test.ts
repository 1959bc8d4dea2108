import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureToBuffer, concatBytes } from '../../src/capture/capture-file.js';
import { MAX_INTERFACES_PER_SECTION } from '../../src/capture/input-limits.js';
import { PcapngWriter } from '../../src/capture/pcapng-writer.js';
import { hostileScratch, interfaceBlock, repeated, SOLICITATION } from '../support/hostile-captures.js';
import { readAll } from './support/read-all.js';

/*
 * Issue 16, class 1: a pcapng section may declare interfaces without end, each kept in memory.
 * The reader refuses past MAX_INTERFACES_PER_SECTION, after every packet before the offending block.
 */

const { path } = hostileScratch('interfaces');

/** A section with one Ethernet interface and three packets. */
function threePackets(): Uint8Array {
  return captureToBuffer((sink) => {
    const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }] });
    for (let i = 0; i < 3; i++) writer.write({ seconds: 1_700_000_000 + i, nanos: 0, data: SOLICITATION });
  });
}

describe('interfaces per pcapng section', () => {
  it('refuses the interface past the limit, after the packets before it', async () => {
    const start = threePackets();
    const flood = repeated(interfaceBlock(1), MAX_INTERFACES_PER_SECTION + 10);
    const file = path('flood.pcapng');
    writeFileSync(file, concatBytes([start, flood]));
    // The section already has one interface: the one past the limit is the flood's 65,536th.
    const offending = start.length + (MAX_INTERFACES_PER_SECTION - 1) * 20;
    for (const chunkSize of [undefined, 4096]) {
      const { records, error } = await readAll(file, { chunkSize });
      expect(records.map((r) => r.frame)).toEqual([1, 2, 3]);
      expect(error?.kind).toBe('damaged');
      expect(error?.exitCode).toBe(4);
      expect(error?.framesRead).toBe(3);
      expect(error?.message).toBe(`block at byte offset ${offending}: the section declares more than 65536 interfaces (the limit)`);
    }
  });

  it('counts the limit per section: a new section starts again from none', async () => {
    const section = concatBytes([threePackets(), repeated(interfaceBlock(1), MAX_INTERFACES_PER_SECTION - 1)]);
    const file = path('sections.pcapng');
    writeFileSync(file, concatBytes([section, section, section]));
    const { records, error, summary } = await readAll(file);
    expect(error).toBeNull();
    expect(records).toHaveLength(9);
    expect(summary?.linkTypes).toEqual(new Map([[1, 9]]));
  });

  it('still tells interfaces apart when they differ (link type, snap length)', async () => {
    const described = captureToBuffer((sink) => {
      const writer = new PcapngWriter(sink, { interfaces: [{ linkType: 1 }, { linkType: 101 }, { linkType: 1, snapLength: 40 }] });
      writer.write({ seconds: 1, nanos: 0, data: SOLICITATION, interfaceId: 0 });
      writer.write({ seconds: 2, nanos: 0, data: SOLICITATION.subarray(14), interfaceId: 1 });
    });
    const file = path('distinct.pcapng');
    writeFileSync(file, described);
    const { records, summary } = await readAll(file);
    expect(records.map((r) => [r.interfaceId, r.linkType])).toEqual([[0, 1], [1, 101]]);
    expect(summary?.linkTypes).toEqual(new Map([[1, 1], [101, 1]]));
  });
});
