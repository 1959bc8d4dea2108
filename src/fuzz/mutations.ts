import { chance, pick, smallInt, type Random } from './random.js';
import { concatBytes } from '../capture/capture-file.js';

/**
 * Damage done to a capture, as plain data so that a failing case can be printed and replayed.
 * Positions are taken modulo the current length (plus one where an end position makes sense), so
 * a list of mutations applies to any input.
 */
export type Mutation =
  | { kind: 'flip-bit'; at: number; bit: number }
  | { kind: 'set-byte'; at: number; value: number }
  /** A 16- or 32-bit value at `at` in either byte order (lengths, counts, magic numbers live there). */
  | { kind: 'set-word'; at: number; size: 2 | 4; value: number; littleEndian: boolean }
  | { kind: 'cut'; at: number }
  | { kind: 'delete'; at: number; length: number }
  /** Copies [from, from + length) and inserts the copy at `to`. */
  | { kind: 'duplicate'; from: number; length: number; to: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

/** Values that sit on the edges of the length checks of pcap, pcapng, IPv4, UDP and Teredo. */
export const INTERESTING_WORDS: readonly number[] = [
  0, 1, 2, 3, 4, 7, 8, 12, 16, 20, 24, 28, 32, 40, 48, 64, 127, 128, 255, 256, 1500, 3544, 0x7fff, 0x8000, 0xfffe,
  0xffff, 0x10000, 262143, 262144, 262145, 1048576, 1048577, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffc, 0xffffffff,
  0x0a0d0d0a, 0x1a2b3c4d, 0xa1b2c3d4, 0x00000bad, 0x00000006,
];

/** Inputs never grow beyond this, whatever is duplicated or inserted (keeps every case fast). */
export const MAX_MUTATED_LENGTH = 256 * 1024;

export function applyMutations(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes: Uint8Array = input.slice();
  for (const mutation of mutations) bytes = applyMutation(bytes, mutation);
  return bytes;
}

function applyMutation(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  const length = bytes.length;
  switch (mutation.kind) {
    case 'flip-bit':
      if (length > 0) bytes[mutation.at % length] ^= 1 << (mutation.bit & 7);
      return bytes;
    case 'set-byte':
      if (length > 0) bytes[mutation.at % length] = mutation.value & 0xff;
      return bytes;
    case 'set-word': {
      if (length < mutation.size) return bytes;
      const at = mutation.at % (length - mutation.size + 1);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (mutation.size === 2) view.setUint16(at, mutation.value & 0xffff, mutation.littleEndian);
      else view.setUint32(at, mutation.value >>> 0, mutation.littleEndian);
      return bytes;
    }
    case 'cut':
      return bytes.slice(0, mutation.at % (length + 1));
    case 'delete': {
      const at = mutation.at % (length + 1);
      return concatBytes([bytes.subarray(0, at), bytes.subarray(Math.min(length, at + mutation.length))]);
    }
    case 'duplicate': {
      if (length === 0) return bytes;
      const from = mutation.from % length;
      const copy = bytes.subarray(from, Math.min(length, from + mutation.length, from + MAX_MUTATED_LENGTH - length));
      const to = mutation.to % (length + 1);
      return concatBytes([bytes.subarray(0, to), copy, bytes.subarray(to)]);
    }
    case 'insert': {
      const at = mutation.at % (length + 1);
      const room = Math.max(0, MAX_MUTATED_LENGTH - length);
      return concatBytes([bytes.subarray(0, at), mutation.bytes.subarray(0, room), bytes.subarray(at)]);
    }
  }
}

/**
 * A few mutations for an input of `length` bytes. `hotOffsets` are the starts of header fields
 * (record and block headers, link, IP and UDP headers): half of the positions are drawn near them,
 * since a byte flipped in the middle of a payload rarely tests anything.
 */
export function randomMutations(random: Random, length: number, hotOffsets: readonly number[], maxCount = 8): Mutation[] {
  const count = smallInt(random, 1, maxCount);
  const mutations: Mutation[] = [];
  const position = (): number =>
    hotOffsets.length > 0 && chance(random, 1, 2) ? pick(random, hotOffsets) + random.int(16) : random.int(length + 1);
  for (let i = 0; i < count; i++) {
    switch (random.int(10)) {
      case 0:
      case 1:
        mutations.push({ kind: 'flip-bit', at: position(), bit: random.int(8) });
        break;
      case 2:
        mutations.push({ kind: 'set-byte', at: position(), value: chance(random, 1, 2) ? pick(random, [0, 0xff, 0x7f, 0x80, 0x60, 0x45]) : random.int(256) });
        break;
      case 3:
      case 4: {
        const value = chance(random, 3, 4) ? pick(random, INTERESTING_WORDS) : random.int(4294967296);
        mutations.push({ kind: 'set-word', at: position(), size: chance(random, 1, 2) ? 2 : 4, value, littleEndian: chance(random, 1, 2) });
        break;
      }
      case 5:
        mutations.push({ kind: 'cut', at: random.int(length + 1) });
        break;
      case 6:
        mutations.push({ kind: 'delete', at: position(), length: smallInt(random, 1, 2048) });
        break;
      case 7:
      case 8:
        mutations.push({ kind: 'duplicate', from: position(), length: smallInt(random, 1, 4096), to: position() });
        break;
      default:
        mutations.push({ kind: 'insert', at: position(), bytes: random.bytes(smallInt(random, 1, 512)) });
    }
  }
  return mutations;
}

/** A mutation as one short line (for reproducer notes). */
export function describeMutation(mutation: Mutation): string {
  switch (mutation.kind) {
    case 'flip-bit':
      return `flip bit ${mutation.bit} at ${mutation.at}`;
    case 'set-byte':
      return `set byte ${mutation.at} to ${mutation.value}`;
    case 'set-word':
      return `set ${mutation.size * 8}-bit ${mutation.littleEndian ? 'LE' : 'BE'} word at ${mutation.at} to ${mutation.value}`;
    case 'cut':
      return `cut at ${mutation.at}`;
    case 'delete':
      return `delete ${mutation.length} bytes at ${mutation.at}`;
    case 'duplicate':
      return `duplicate ${mutation.length} bytes from ${mutation.from} to ${mutation.to}`;
    case 'insert':
      return `insert ${mutation.bytes.length} random bytes at ${mutation.at}`;
  }
}
