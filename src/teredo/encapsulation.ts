import { AUTHENTICATION_INDICATOR, authenticationLength } from './authentication.js';
import { IPV6_HEADER_LENGTH, ipv6PayloadLength, IPV6_SOURCE_OFFSET } from './ipv6-header.js';
import { ORIGIN_INDICATION_INDICATOR, ORIGIN_INDICATION_LENGTH } from './origin-indication.js';

/**
 * Where the elements of a Teredo UDP payload lie (RFC 4380 §5.1.1):
 * [authentication] [origin indication] IPv6 header + payload [RFC 6081 trailers].
 *
 * The scan only reads offsets into one reused layout object, so rejecting a non-Teredo datagram
 * costs no allocation; a failure keeps a code and two numbers and is turned into text only when
 * somebody asks for it.
 */
export interface EncapsulationLayout {
  /** Offset of the authentication element, -1 when absent. */
  authOffset: number;
  /** Offset of the origin indication, -1 when absent. */
  originOffset: number;
  ipv6Offset: number;
  /** End of the IPv6 packet: ipv6Offset + 40 + Payload Length; trailers run from here to `end`. */
  ipv6End: number;
  /** End of the UDP payload. */
  end: number;
  failure: EncapsulationFailure;
  /** Numbers for the failure text (meaning depends on the failure). */
  failureValue: number;
  failureLeft: number;
}

export type EncapsulationFailure =
  | 'none'
  | 'empty'
  | 'element-truncated'
  | 'auth-truncated'
  | 'auth-after-origin'
  | 'auth-repeated'
  | 'origin-truncated'
  | 'origin-repeated'
  | 'unknown-element'
  | 'ipv6-truncated'
  | 'ipv6-payload-length';

/** Bytes of an IPv6 header up to the end of its source address. */
const IPV6_SOURCE_END = IPV6_SOURCE_OFFSET + 16;

export function createEncapsulationLayout(): EncapsulationLayout {
  return { authOffset: -1, originOffset: -1, ipv6Offset: -1, ipv6End: -1, end: 0, failure: 'none', failureValue: 0, failureLeft: 0 };
}

function fail(layout: EncapsulationLayout, failure: EncapsulationFailure, value: number, left: number): false {
  layout.failure = failure;
  layout.failureValue = value;
  layout.failureLeft = left;
  return false;
}

/**
 * Fills `layout` for the payload bytes[start, end). True when the elements are well ordered and
 * the IPv6 header (version 6) plus its Payload Length fit; bytes after the IPv6 packet are left to
 * the trailer parser.
 *
 * `cutEnd` >= 0: the capture kept only bytes[start, cutEnd) of the payload (snap length) and
 * bytes[cutEnd, end) are zeros standing in for the rest (see snap-cut.ts). Then a payload that runs
 * past the cut is what a cut frame looks like, not a malformation: the scan needs the elements
 * whole and the IPv6 header up to its source address, and `ipv6End` stops at what is present.
 */
export function scanEncapsulation(bytes: Uint8Array, start: number, end: number, layout: EncapsulationLayout, cutEnd = -1): boolean {
  layout.authOffset = -1;
  layout.originOffset = -1;
  layout.ipv6Offset = -1;
  layout.ipv6End = -1;
  layout.end = end;
  layout.failure = 'none';
  if (end <= start) return fail(layout, 'empty', 0, 0);

  let offset = start;
  for (;;) {
    const left = end - offset;
    // In a cut frame the zeros past the cut are no element: what was cut is unknown.
    if (cutEnd >= 0 && offset >= cutEnd) return fail(layout, 'ipv6-truncated', IPV6_HEADER_LENGTH, 0);
    if ((bytes[offset] & 0xf0) === 0x60) break;
    if (left < 2) return fail(layout, 'element-truncated', bytes[offset], left);
    const indicator = (bytes[offset] << 8) | bytes[offset + 1];
    if (indicator === AUTHENTICATION_INDICATOR) {
      if (layout.authOffset >= 0) return fail(layout, 'auth-repeated', 0, left);
      if (layout.originOffset >= 0) return fail(layout, 'auth-after-origin', 0, left);
      const length = authenticationLength(bytes, offset, end);
      if (length < 0 || length > left) return fail(layout, 'auth-truncated', length, left);
      layout.authOffset = offset;
      offset += length;
    } else if (indicator === ORIGIN_INDICATION_INDICATOR) {
      if (layout.originOffset >= 0) return fail(layout, 'origin-repeated', 0, left);
      if (left < ORIGIN_INDICATION_LENGTH) return fail(layout, 'origin-truncated', ORIGIN_INDICATION_LENGTH, left);
      layout.originOffset = offset;
      offset += ORIGIN_INDICATION_LENGTH;
    } else {
      return fail(layout, 'unknown-element', indicator, left);
    }
    if (offset >= end) return fail(layout, 'ipv6-truncated', IPV6_HEADER_LENGTH, 0);
  }

  const left = end - offset;
  if (left < IPV6_HEADER_LENGTH) return fail(layout, 'ipv6-truncated', IPV6_HEADER_LENGTH, left);
  const payloadLength = ipv6PayloadLength(bytes, offset);
  if (cutEnd >= 0) {
    // A cut frame: the elements and the IPv6 source must have survived; the rest is dissected as far as it goes.
    if (offset + IPV6_SOURCE_END > cutEnd) return fail(layout, 'ipv6-truncated', IPV6_SOURCE_END, cutEnd - offset);
    layout.ipv6Offset = offset;
    layout.ipv6End = Math.max(offset + IPV6_HEADER_LENGTH, Math.min(offset + IPV6_HEADER_LENGTH + payloadLength, cutEnd));
    layout.end = Math.max(cutEnd, layout.ipv6End);
    return true;
  }
  if (payloadLength > left - IPV6_HEADER_LENGTH) return fail(layout, 'ipv6-payload-length', payloadLength, left - IPV6_HEADER_LENGTH);
  layout.ipv6Offset = offset;
  layout.ipv6End = offset + IPV6_HEADER_LENGTH + payloadLength;
  return true;
}

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** Short human text for the failure of the last scan, e.g. "ipv6 payload length 81 exceeds the 33 bytes left". */
export function describeEncapsulationFailure(layout: EncapsulationLayout): string {
  const { failureValue: value, failureLeft: left } = layout;
  switch (layout.failure) {
    case 'none':
      return 'no failure';
    case 'empty':
      return 'empty UDP payload';
    case 'element-truncated':
      return `element starting ${hex(value, 2)} truncated (${left} byte left)`;
    case 'auth-truncated':
      return value < 0
        ? `authentication element truncated (${left} bytes left, lengths need 4)`
        : `authentication element needs ${value} bytes, ${left} left`;
    case 'auth-after-origin':
      return 'authentication element after the origin indication';
    case 'auth-repeated':
      return 'second authentication element';
    case 'origin-truncated':
      return `origin indication needs ${value} bytes, ${left} left`;
    case 'origin-repeated':
      return 'second origin indication';
    case 'unknown-element':
      return `neither a Teredo element nor IPv6 (first bytes ${hex(value, 4)})`;
    case 'ipv6-truncated':
      return `ipv6 header needs ${value} bytes, ${left} left`;
    case 'ipv6-payload-length':
      return `ipv6 payload length ${value} exceeds the ${left} bytes left`;
  }
}
