import { MAX_CAPTURED_LENGTH } from './capture-parser.js';

/** pcapng block types the reader interprets; every other type is skipped. */
export const BLOCK_SECTION_HEADER = 0x0a0d0d0a;
export const BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
export const BLOCK_OBSOLETE_PACKET = 0x00000002;
export const BLOCK_SIMPLE_PACKET = 0x00000003;
export const BLOCK_ENHANCED_PACKET = 0x00000006;

/** Some of the skipped kinds, named for the writer and the tests. */
export const BLOCK_NAME_RESOLUTION = 0x00000004;
export const BLOCK_INTERFACE_STATISTICS = 0x00000005;
export const BLOCK_DECRYPTION_SECRETS = 0x0000000a;
export const BLOCK_CUSTOM = 0x00000bad;
export const BLOCK_CUSTOM_NO_COPY = 0x40000bad;

/**
 * Blocks that Wireshark shows as frames of their own although they hold no packet: custom blocks,
 * systemd journal entries and Sysdig events. The reader skips them but gives each a frame number,
 * so that frame N here is frame N in Wireshark.
 */
export function isNonPacketFrame(type: number): boolean {
  switch (type) {
    case BLOCK_CUSTOM:
    case BLOCK_CUSTOM_NO_COPY:
    case 0x00000009: // systemd journal export
    case 0x00000204: // Sysdig event
    case 0x00000208: // Sysdig event with flags
    case 0x00000216: // Sysdig event v2
    case 0x00000217: // Sysdig event with flags v2
    case 0x00000221: // Sysdig event v2, large payload
    case 0x00000222: // Sysdig event with flags v2, large payload
      return true;
    default:
      return false;
  }
}

/** The section header's byte-order magic as read big-endian: as written, or byte-swapped. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

/** Section and interface headers are read whole; larger ones are damage, not data. */
export const MAX_DESCRIPTION_BLOCK = 1024 * 1024;
/** A packet block holds at most the largest packet plus 128 KiB of options (as Wireshark allows). */
export const MAX_PACKET_BLOCK = 32 + MAX_CAPTURED_LENGTH + 128 * 1024;

/** Smallest valid total length (fixed fields + both length words) of each block type. */
export function minimumBlockLength(type: number): number {
  switch (type) {
    case BLOCK_SECTION_HEADER:
      return 28;
    case BLOCK_INTERFACE_DESCRIPTION:
      return 20;
    case BLOCK_ENHANCED_PACKET:
    case BLOCK_OBSOLETE_PACKET:
      return 32;
    case BLOCK_SIMPLE_PACKET:
      return 16;
    default:
      return 12;
  }
}
