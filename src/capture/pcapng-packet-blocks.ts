import { MAX_CAPTURED_LENGTH } from './capture-parser.js';
import { BLOCK_ENHANCED_PACKET, BLOCK_SIMPLE_PACKET } from './pcapng-blocks.js';
import type { PcapngInterfaceTable } from './pcapng-interfaces.js';
import type { CaptureRecord } from './record.js';
import { unitsToTime } from './timestamp-resolution.js';

/** Where the packet data starts in an enhanced or obsolete packet block. */
const TIMED_PACKET_DATA = 28;
/** Where the packet data starts in a simple packet block. */
const SIMPLE_PACKET_DATA = 12;

/**
 * Fills record (all but frame and buffer) from the packet block of `length` bytes at `position`:
 * enhanced (6), obsolete (2) or simple (3). Returns what is wrong with the block, or null; the
 * happy path allocates nothing.
 */
export function readPacketBlock(
  view: DataView,
  position: number,
  type: number,
  length: number,
  littleEndian: boolean,
  interfaces: PcapngInterfaceTable,
  record: CaptureRecord,
): string | null {
  const simple = type === BLOCK_SIMPLE_PACKET;
  let interfaceId = 0;
  if (type === BLOCK_ENHANCED_PACKET) interfaceId = view.getUint32(position + 8, littleEndian);
  else if (!simple) interfaceId = view.getUint16(position + 8, littleEndian);
  const description = interfaces.get(interfaceId);
  if (description === undefined) return `interface ${interfaceId} was never described`;

  const dataStart = simple ? SIMPLE_PACKET_DATA : TIMED_PACKET_DATA;
  // Room for data = block minus fixed fields and trailing length; options may follow the data.
  const room = length - dataStart - 4;
  let capturedLength: number;
  if (simple) {
    // The simple block has no captured length: it is whatever the snap length and block allow.
    const originalLength = view.getUint32(position + 8, littleEndian);
    capturedLength = Math.min(originalLength, room);
    if (description.snapLength !== 0) capturedLength = Math.min(capturedLength, description.snapLength);
    record.originalLength = originalLength;
    // No timestamp in a simple packet block.
    record.seconds = 0;
    record.nanos = 0;
  } else {
    capturedLength = view.getUint32(position + 20, littleEndian);
    record.originalLength = view.getUint32(position + 24, littleEndian);
    const high = view.getUint32(position + 12, littleEndian);
    const low = view.getUint32(position + 16, littleEndian);
    unitsToTime(high, low, description.resolution, record);
    record.seconds += description.secondsOffset;
  }
  if (capturedLength > MAX_CAPTURED_LENGTH) return `captured length ${capturedLength} is absurd (over 256 KiB)`;
  if (capturedLength > room) return `captured length ${capturedLength} exceeds the ${room} bytes of packet data in its block`;

  description.frames += 1;
  record.interfaceId = interfaceId;
  record.linkType = description.linkType;
  record.precision = description.resolution.precision;
  record.capturedLength = capturedLength;
  record.offset = position + dataStart;
  return null;
}
