import { readCapture } from '../capture/reader.js';
import type { Timestamp } from '../capture/timestamp.js';
import { PacketDecoder } from '../decode/packet-decoder.js';
import { TEREDO_PORT } from '../teredo/constants.js';
import { TeredoDissector } from '../teredo/dissector.js';
import type { CaptureSketch } from './input-grouping.js';

/** Frames of a file whose Teredo packets are looked at for the sketch; its times are read to the end. */
const SKETCHED_FRAMES = 50_000;

/**
 * What input-grouping needs to know of a capture: its first and last frame times and who talks to
 * Teredo servers in its first frames. Reads the whole file (times only after the first frames, at
 * the bare reader's speed); null times when the file has no readable frame.
 */
export async function sketchCapture(file: string): Promise<CaptureSketch> {
  const sketch: CaptureSketch = { file, first: null, last: null, addresses: new Set(), clientSockets: new Set(), mappedSockets: new Set() };
  const decoder = new PacketDecoder();
  const dissector = new TeredoDissector();
  let first: Timestamp | null = null;
  let lastSeconds = 0;
  let lastNanos = 0;
  let precision = 6;
  try {
    await readCapture(file, (record) => {
      if (first === null) first = { seconds: record.seconds, nanos: record.nanos, precision: record.precision };
      lastSeconds = record.seconds;
      lastNanos = record.nanos;
      precision = record.precision;
      if (record.frame > SKETCHED_FRAMES) return;
      const datagram = decoder.decode(record);
      if (datagram === null) return;
      const packet = dissector.dissectInPlace(datagram);
      if (packet === null) return;
      const { srcIp, srcPort, dstIp, dstPort } = packet.outer;
      sketch.addresses.add(srcIp);
      sketch.addresses.add(dstIp);
      if (srcPort !== TEREDO_PORT && dstPort !== TEREDO_PORT) return;
      if (dstPort === TEREDO_PORT && srcPort !== TEREDO_PORT) sketch.clientSockets.add(srcIp * 65536 + srcPort);
      else if (srcPort === TEREDO_PORT && dstPort !== TEREDO_PORT) sketch.clientSockets.add(dstIp * 65536 + dstPort);
      if (packet.origin !== null) {
        sketch.addresses.add(packet.origin.address);
        sketch.mappedSockets.add(packet.origin.address * 65536 + packet.origin.port);
      }
    });
  } catch {
    // A damaged file is sketched up to the damage; its error is reported when it is read for real.
  }
  if (first !== null) {
    sketch.first = first;
    sketch.last = { seconds: lastSeconds, nanos: lastNanos, precision };
  }
  return sketch;
}
