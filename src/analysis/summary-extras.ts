import { ByteReader, ByteWriter } from './byte-cursor.js';
import type { HolePunchSummary, PunchOutcome, PunchPath, PunchStep, RelaySummary } from './client-summary.js';
import { endpointFromKey } from './endpoint.js';

/** The rarely present parts of a client's summary, unpacked. */
export interface SummaryExtras {
  /** Endpoints after the first. */
  endpoints: number[];
  relays: RelaySummary[];
  holePunches: HolePunchSummary[];
}

/** Where a client's relays and hole punches are: the newest record of each chain (NO_RECORD: none). */
export interface ExtrasChains {
  relayHead: number;
  relayCount: number;
  punchHead: number;
  punchCount: number;
}

/** A finished hole punch, as the trackers hand it over (addresses as bytes, copied on append). */
export interface PunchRecord {
  peer: Uint8Array | null;
  path: PunchPath;
  relayKey: number;
  relayIpv6: Uint8Array | null;
  outcome: PunchOutcome;
  missingStep: PunchStep | null;
  latencyMs: number | null;
  frames: readonly number[];
}

export const NO_RECORD = -1;

const PATHS: readonly PunchPath[] = ['relay', 'host-specific', 'direct'];
const OUTCOMES: readonly PunchOutcome[] = ['success', 'failed', 'pending', 'unobservable'];
const STEPS: readonly PunchStep[] = ['relay-bubble', 'client-bubble', 'relay-delivery', 'peer-reply'];
const NO_STEP = 255;

const HAS_PEER = 1;
const HAS_RELAY = 2;
const HAS_LATENCY = 8;
const HAS_IPV6 = 4;

/**
 * A relay: IPv4, port, flags, and room for its IPv6 whether known or not (it may be learnt
 * later). A relay record is a previous-record link followed by one; a hole punch embeds one.
 */
const RELAY_SIZE = 4 + 2 + 1 + 16;
/** Every record of a chain starts with the location of the one before it. */
const LINK_SIZE = 8;
/** Offsets of a relay record's fields. */
const RELAY_ADDRESS = LINK_SIZE;
const RELAY_PORT = LINK_SIZE + 4;
const RELAY_FLAGS = LINK_SIZE + 6;
const RELAY_IPV6 = LINK_SIZE + 7;

const PAGE_SIZE = 1 << 20;
/** Locations are page * PAGE_SPAN + offset; a page larger than PAGE_SIZE holds one big record. */
const PAGE_SPAN = 2 ** 32;

/**
 * The relays and hole punches of every client, live or closed, packed as bytes in pages of 1 MiB,
 * and the extras of closed clients. As objects (a relay is three, a hole punch five with its frames
 * and strings) they took about 600 bytes a client, held by every live client until it closed and
 * then garbage that had outlived the young generation. Each client's relays and punches form two
 * chains, newest first, so a record is written once, when it is final, and a revived client goes
 * on with the chains it had.
 */
export class SummaryExtrasArena {
  private readonly pages: Uint8Array[] = [];
  private readonly views: DataView[] = [];
  private used = PAGE_SIZE;

  /** Adds a relay to a chain, with its IPv6 (copied) when known. */
  appendRelay(previous: number, key: number, ipv6: Uint8Array | null): number {
    const at = this.reserve(LINK_SIZE + RELAY_SIZE);
    const writer = new ByteWriter(at.bytes, at.view, at.start);
    writer.f64(previous);
    writeRelay(writer, key, ipv6);
    return at.location;
  }

  /** The relay of a chain with socket `key`, or NO_RECORD. */
  findRelay(head: number, key: number): number {
    for (let location = head; location !== NO_RECORD; location = this.previous(location)) {
      const { view, start } = this.locate(location);
      if (view.getUint32(start + RELAY_ADDRESS, true) * 65536 + view.getUint16(start + RELAY_PORT, true) === key) return location;
    }
    return NO_RECORD;
  }

  relayHasIpv6(location: number): boolean {
    const { bytes, start } = this.locate(location);
    return (bytes[start + RELAY_FLAGS] & HAS_IPV6) !== 0;
  }

  setRelayIpv6(location: number, ipv6: Uint8Array): void {
    const { bytes, start } = this.locate(location);
    bytes[start + RELAY_FLAGS] |= HAS_IPV6;
    bytes.set(ipv6.subarray(0, 16), start + RELAY_IPV6);
  }

  appendPunch(previous: number, punch: PunchRecord): number {
    const size = LINK_SIZE + 1 + 16 + 3 + RELAY_SIZE + 8 + 4 + 8 * punch.frames.length;
    const at = this.reserve(size);
    const writer = new ByteWriter(at.bytes, at.view, at.start);
    writer.f64(previous);
    writer.u8((punch.peer !== null ? HAS_PEER : 0) | (punch.relayKey >= 0 ? HAS_RELAY : 0) | (punch.latencyMs !== null ? HAS_LATENCY : 0));
    if (punch.peer !== null) writer.address(punch.peer);
    writer.u8(PATHS.indexOf(punch.path));
    writer.u8(OUTCOMES.indexOf(punch.outcome));
    writer.u8(punch.missingStep === null ? NO_STEP : STEPS.indexOf(punch.missingStep));
    if (punch.relayKey >= 0) writeRelay(writer, punch.relayKey, punch.relayIpv6);
    if (punch.latencyMs !== null) writer.f64(punch.latencyMs);
    writer.u32(punch.frames.length);
    for (const frame of punch.frames) writer.f64(frame);
    this.used = writer.at;
    return at.location;
  }

  /** A closed client's extras: its endpoints after the first and its two chains. */
  writeExtras(endpoints: readonly number[], chains: ExtrasChains): number {
    const at = this.reserve(4 + 8 * endpoints.length + 8 + 2 + 8 + 2);
    const writer = new ByteWriter(at.bytes, at.view, at.start);
    writer.u32(endpoints.length);
    for (const endpoint of endpoints) writer.f64(endpoint);
    writer.f64(chains.relayHead);
    writer.u16(chains.relayCount);
    writer.f64(chains.punchHead);
    writer.u16(chains.punchCount);
    return at.location;
  }

  /** Endpoints and chains of a closed client's extras. */
  readExtras(location: number): { endpoints: number[]; chains: ExtrasChains } {
    const { bytes, view, start } = this.locate(location);
    const reader = new ByteReader(bytes, view, start);
    const endpoints: number[] = [];
    for (let i = reader.u32(); i > 0; i--) endpoints.push(reader.f64());
    const relayHead = reader.f64();
    const relayCount = reader.u16();
    const punchHead = reader.f64();
    const punchCount = reader.u16();
    return { endpoints, chains: { relayHead, relayCount, punchHead, punchCount } };
  }

  /** A closed client's extras, unpacked afresh. */
  read(location: number): SummaryExtras {
    const { endpoints, chains } = this.readExtras(location);
    return { endpoints, relays: this.relays(chains.relayHead), holePunches: this.holePunches(chains.punchHead) };
  }

  /** The relays of a chain, oldest first. */
  relays(head: number): RelaySummary[] {
    return this.chain(head, readRelay);
  }

  /** The hole punches of a chain, oldest first. */
  holePunches(head: number): HolePunchSummary[] {
    return this.chain(head, readPunch);
  }

  /** Every record of a chain read past its link, oldest first (a chain is linked newest first). */
  private chain<T>(head: number, read: (reader: ByteReader) => T): T[] {
    const records: T[] = [];
    for (let location = head; location !== NO_RECORD; location = this.previous(location)) {
      const { bytes, view, start } = this.locate(location);
      records.push(read(new ByteReader(bytes, view, start + LINK_SIZE)));
    }
    return records.reverse();
  }

  private reserve(size: number): { bytes: Uint8Array; view: DataView; start: number; location: number } {
    if (this.pages.length === 0 || PAGE_SIZE - this.used < size) {
      const page = new Uint8Array(Math.max(PAGE_SIZE, size));
      this.pages.push(page);
      this.views.push(new DataView(page.buffer));
      this.used = 0;
    }
    const index = this.pages.length - 1;
    const start = this.used;
    this.used += size;
    return { bytes: this.pages[index], view: this.views[index], start, location: index * PAGE_SPAN + start };
  }

  private locate(location: number): { bytes: Uint8Array; view: DataView; start: number } {
    const index = Math.floor(location / PAGE_SPAN);
    return { bytes: this.pages[index], view: this.views[index], start: location - index * PAGE_SPAN };
  }

  /** The record before this one in its chain (every record starts with that link). */
  private previous(location: number): number {
    const { view, start } = this.locate(location);
    return view.getFloat64(start, true);
  }
}

function readPunch(reader: ByteReader): HolePunchSummary {
  const flags = reader.u8();
  const peer = (flags & HAS_PEER) !== 0 ? reader.address() : null;
  const path = PATHS[reader.u8()];
  const outcome = OUTCOMES[reader.u8()];
  const step = reader.u8();
  const relay = (flags & HAS_RELAY) !== 0 ? readRelay(reader) : null;
  const latencyMs = (flags & HAS_LATENCY) !== 0 ? reader.f64() : null;
  const frames: number[] = [];
  for (let i = reader.u32(); i > 0; i--) frames.push(reader.f64());
  return { peer, path, relay, outcome, missingStep: step === NO_STEP ? null : STEPS[step], latencyMs, frames };
}

function writeRelay(writer: ByteWriter, key: number, ipv6: Uint8Array | null): void {
  writer.u32(Math.floor(key / 65536));
  writer.u16(key % 65536);
  writer.u8(ipv6 !== null ? HAS_IPV6 : 0);
  if (ipv6 !== null) writer.address(ipv6);
  else writer.skip(16);
}

function readRelay(reader: ByteReader): RelaySummary {
  const address = reader.u32();
  const port = reader.u16();
  const hasIpv6 = (reader.u8() & HAS_IPV6) !== 0;
  const ipv6 = reader.address();
  return { endpoint: endpointFromKey(address * 65536 + port), ipv6: hasIpv6 ? ipv6 : null };
}
