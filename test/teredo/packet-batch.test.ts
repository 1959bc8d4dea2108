import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { streamTeredoPackets } from '../../src/cli/teredo-stream.js';
import { PacketBatchReader, PacketBatchWriter, type PacketBatch } from '../../src/teredo/packet-batch.js';
import { clonePacket } from '../../src/teredo/packet-copy.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';
import { sampleWithMalformed } from '../support/capture-with-malformed.js';

type Event = { packet: TeredoPacket } | { frame: number; reason: string };

function captures(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.pcap(ng)?(\.gz)?$/.test(name))
    .map((name) => `${dir}/${name}`);
}

/** Events of a capture as the stream delivers them, and again after a trip through batches of `size` bytes. */
async function roundTrip(file: string, size: number): Promise<{ direct: Event[]; batched: Event[]; batches: number }> {
  const direct: Event[] = [];
  const batches: PacketBatch[] = [];
  const writer = new PacketBatchWriter(size);
  const flushIfFull = (): void => {
    if (writer.isFull) batches.push(writer.take(null));
  };
  await streamTeredoPackets(
    file,
    (packet) => {
      direct.push({ packet: clonePacket(packet) });
      writer.writePacket(packet);
      flushIfFull();
    },
    {
      onMalformed: (frame, reason) => {
        direct.push({ frame, reason });
        writer.writeMalformed(frame, reason);
        flushIfFull();
      },
    },
  );
  if (!writer.isEmpty) batches.push(writer.take(null));
  const batched: Event[] = [];
  const reader = new PacketBatchReader();
  for (const batch of batches) {
    reader.read(batch, { onPacket: (packet) => batched.push({ packet: clonePacket(packet) }), onMalformed: (frame, reason) => batched.push({ frame, reason }) });
  }
  return { direct, batched, batches: batches.length };
}

describe('packet batches (how packets cross from a decode worker)', () => {
  const files = [...captures('fixtures/real'), ...captures('fixtures/real/miredo'), ...captures('fixtures/synthetic/scenarios')];

  it.each(files)('%s: every packet and malformed datagram comes back equal and in order', async (file) => {
    const { direct, batched, batches } = await roundTrip(file, 512);
    expect(batched).toEqual(direct);
    if (direct.length > 10) expect(batches).toBeGreaterThan(1);
  });

  it('carries malformed-datagram reports in their place among the packets', async () => {
    const { direct, batched } = await roundTrip(await sampleWithMalformed(), 512);
    expect(direct.filter((event) => 'reason' in event)).toHaveLength(15);
    expect(direct.filter((event) => 'packet' in event)).toHaveLength(29);
    expect(batched).toEqual(direct);
  });

  it('reuses one packet on the reading side and hands buffers of the right size back to the writer', () => {
    const writer = new PacketBatchWriter(1024);
    writer.writeMalformed(7, 'why');
    const first = writer.take(null);
    expect(first.used).toBeGreaterThan(0);
    expect(writer.isEmpty).toBe(true);
    // The spare becomes the buffer of the next batch; one of another size is not taken.
    writer.writeMalformed(8, 'again');
    const second = writer.take(first.buffer);
    expect(second.buffer).not.toBe(first.buffer);
    writer.writeMalformed(9, 'and again');
    const third = writer.take(new ArrayBuffer(16));
    expect(third.buffer).toBe(first.buffer);
    const fourth = writer.take(null);
    expect(fourth.buffer.byteLength).toBe(1024);
    expect(fourth.used).toBe(0);
  });

  it('refuses a batch with an unknown record', () => {
    const buffer = new ArrayBuffer(64);
    new Uint8Array(buffer)[0] = 9;
    expect(() => new PacketBatchReader().read({ buffer, used: 16, rare: [], reasons: [] }, { onPacket: () => undefined, onMalformed: () => undefined })).toThrow(
      /unknown record tag 9/,
    );
  });
});
