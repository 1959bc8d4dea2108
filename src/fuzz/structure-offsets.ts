/**
 * Where the header fields of a (valid) capture lie: file and record headers, pcapng block headers,
 * and the first bytes of each packet, where link, IP, UDP and Teredo headers sit. Mutations aimed
 * there reach the length checks far more often than uniformly placed ones.
 */

const PCAP_FILE_HEADER = 24;
const PCAP_RECORD_HEADER = 16;
const PCAPNG_SECTION_HEADER = 0x0a0d0d0a;
const PCAPNG_ENHANCED_PACKET = 6;
const PCAPNG_OBSOLETE_PACKET = 2;
const PCAPNG_SIMPLE_PACKET = 3;
/** Offsets within a packet of the fields the decoder reads (Ethernet, IPv4, UDP, Teredo elements, IPv6). */
const PACKET_FIELD_OFFSETS = [0, 12, 14, 16, 20, 22, 24, 30, 34, 38, 40, 42, 46, 50, 54, 62, 82, 90];
/** At most this many offsets are kept (plenty for the small seed captures). */
const MAX_OFFSETS = 4096;

export function structureOffsets(bytes: Uint8Array): number[] {
  if (bytes.length < 4) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic === PCAPNG_SECTION_HEADER) return pcapngOffsets(view);
  if ([0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1].includes(magic)) return pcapOffsets(view, magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1);
  return [];
}

function pcapOffsets(view: DataView, littleEndian: boolean): number[] {
  const offsets = [0, 4, 6, 16, 20];
  let position = PCAP_FILE_HEADER;
  while (position + PCAP_RECORD_HEADER <= view.byteLength && offsets.length < MAX_OFFSETS) {
    const capturedLength = view.getUint32(position + 8, littleEndian);
    offsets.push(position, position + 4, position + 8, position + 12);
    for (const field of PACKET_FIELD_OFFSETS) {
      if (field < capturedLength) offsets.push(position + PCAP_RECORD_HEADER + field);
    }
    position += PCAP_RECORD_HEADER + capturedLength;
  }
  return offsets;
}

function pcapngOffsets(view: DataView): number[] {
  const offsets: number[] = [];
  let littleEndian = true;
  let position = 0;
  while (position + 12 <= view.byteLength && offsets.length < MAX_OFFSETS) {
    if (view.getUint32(position, false) === PCAPNG_SECTION_HEADER) littleEndian = view.getUint32(position + 8, false) === 0x4d3c2b1a;
    const type = view.getUint32(position, littleEndian);
    const length = view.getUint32(position + 4, littleEndian);
    if (length < 12 || length % 4 !== 0) break;
    offsets.push(position, position + 4, position + 8, position + length - 4);
    let dataStart = -1;
    if (type === PCAPNG_ENHANCED_PACKET || type === PCAPNG_OBSOLETE_PACKET) {
      offsets.push(position + 12, position + 16, position + 20, position + 24);
      dataStart = position + 28;
    } else if (type === PCAPNG_SIMPLE_PACKET) {
      dataStart = position + 12;
    } else {
      offsets.push(position + 12, position + 16);
    }
    if (dataStart >= 0) {
      for (const field of PACKET_FIELD_OFFSETS) if (dataStart + field < position + length - 4) offsets.push(dataStart + field);
    }
    position += length;
  }
  return offsets;
}
