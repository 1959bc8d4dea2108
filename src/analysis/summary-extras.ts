import { formatIpv6, parseIpv6 } from '../decode/ip-address.js';
import type { HolePunchSummary, PunchOutcome, PunchPath, PunchStep, RelaySummary } from './client-summary.js';

/** The rarely present parts of a closed client's summary. */
export interface SummaryExtras {
  /** Endpoints after the first. */
  endpoints: number[];
  relays: RelaySummary[] | null;
  holePunches: HolePunchSummary[] | null;
}

const PATHS: readonly PunchPath[] = ['relay', 'host-specific', 'direct'];
const OUTCOMES: readonly PunchOutcome[] = ['success', 'failed', 'pending'];
const STEPS: readonly PunchStep[] = ['relay-bubble', 'client-bubble', 'relay-delivery', 'peer-reply'];
const NO_STEP = 255;

const HAS_PEER = 1;
const HAS_RELAY = 2;
const HAS_RELAY_IPV6 = 4;
const HAS_LATENCY = 8;

const PAGE_SIZE = 1 << 20;
/** Locations are page * PAGE_SPAN + offset; a page larger than PAGE_SIZE holds one big record. */
const PAGE_SPAN = 2 ** 32;

/**
 * The extras of closed clients, packed as bytes in pages of 1 MiB. As objects (a relay is three,
 * a hole punch five with its frames and strings) they took about 1 KB per client and dominated
 * the heap of captures with many clients; packed they take about 150 bytes. A client that is
 * revived gets them back as objects; a rewritten summary is appended anew (revivals are rare).
 */
export class SummaryExtrasArena {
  private readonly pages: Uint8Array[] = [];
  private readonly views: DataView[] = [];
  private used = PAGE_SIZE;

  /** Packs `extras`; returns where they are. */
  write(extras: SummaryExtras): number {
    const size = encodedSize(extras);
    if (this.pages.length === 0 || PAGE_SIZE - this.used < size) {
      const page = new Uint8Array(Math.max(PAGE_SIZE, size));
      this.pages.push(page);
      this.views.push(new DataView(page.buffer));
      this.used = 0;
    }
    const index = this.pages.length - 1;
    const start = this.used;
    this.used = new ExtrasWriter(this.pages[index], this.views[index], start).write(extras);
    return index * PAGE_SPAN + start;
  }

  read(location: number): SummaryExtras {
    const index = Math.floor(location / PAGE_SPAN);
    return new ExtrasReader(this.pages[index], this.views[index], location - index * PAGE_SPAN).read();
  }
}

function encodedSize(extras: SummaryExtras): number {
  let size = 4 + 8 * extras.endpoints.length + 2 + 2;
  for (const relay of extras.relays ?? []) size += relaySize(relay);
  for (const punch of extras.holePunches ?? []) {
    size += 1 + (punch.peer !== null ? 16 : 0) + 3 + (punch.relay !== null ? relaySize(punch.relay) : 0) + (punch.latencyMs !== null ? 8 : 0) + 4 + 8 * punch.frames.length;
  }
  return size;
}

function relaySize(relay: RelaySummary): number {
  return 7 + (relay.ipv6 !== null ? 16 : 0);
}

function addressBytes(text: string): Uint8Array {
  const bytes = parseIpv6(text);
  // Every address in a summary was written by formatIpv6: not parsing back is a bug, not input.
  if (bytes === null) throw new Error(`summary extras: '${text}' is not an IPv6 address`);
  return bytes;
}

class ExtrasWriter {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private at: number,
  ) {}

  write(extras: SummaryExtras): number {
    this.view.setUint32(this.at, extras.endpoints.length, true);
    this.at += 4;
    for (const endpoint of extras.endpoints) this.f64(endpoint);
    const relays = extras.relays ?? [];
    this.u16(extras.relays === null ? 0xffff : relays.length);
    for (const relay of relays) this.relay(relay);
    const punches = extras.holePunches ?? [];
    this.u16(extras.holePunches === null ? 0xffff : punches.length);
    for (const punch of punches) {
      const flags = (punch.peer !== null ? HAS_PEER : 0) | (punch.relay !== null ? HAS_RELAY : 0) | (punch.latencyMs !== null ? HAS_LATENCY : 0);
      this.bytes[this.at++] = flags;
      if (punch.peer !== null) this.address(punch.peer);
      this.bytes[this.at++] = PATHS.indexOf(punch.path);
      this.bytes[this.at++] = OUTCOMES.indexOf(punch.outcome);
      this.bytes[this.at++] = punch.missingStep === null ? NO_STEP : STEPS.indexOf(punch.missingStep);
      if (punch.relay !== null) this.relay(punch.relay);
      if (punch.latencyMs !== null) this.f64(punch.latencyMs);
      this.view.setUint32(this.at, punch.frames.length, true);
      this.at += 4;
      for (const frame of punch.frames) this.f64(frame);
    }
    return this.at;
  }

  private relay(relay: RelaySummary): void {
    this.view.setUint32(this.at, relay.endpoint.address, true);
    this.view.setUint16(this.at + 4, relay.endpoint.port, true);
    this.bytes[this.at + 6] = relay.ipv6 !== null ? HAS_RELAY_IPV6 : 0;
    this.at += 7;
    if (relay.ipv6 !== null) this.address(relay.ipv6);
  }

  private address(text: string): void {
    this.bytes.set(addressBytes(text), this.at);
    this.at += 16;
  }

  private u16(value: number): void {
    this.view.setUint16(this.at, value, true);
    this.at += 2;
  }

  private f64(value: number): void {
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
  }
}

class ExtrasReader {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
    private at: number,
  ) {}

  read(): SummaryExtras {
    const endpointCount = this.view.getUint32(this.at, true);
    this.at += 4;
    const endpoints: number[] = [];
    for (let i = 0; i < endpointCount; i++) endpoints.push(this.f64());
    const relayCount = this.u16();
    let relays: RelaySummary[] | null = null;
    if (relayCount !== 0xffff) {
      relays = [];
      for (let i = 0; i < relayCount; i++) relays.push(this.relay());
    }
    const punchCount = this.u16();
    let holePunches: HolePunchSummary[] | null = null;
    if (punchCount !== 0xffff) {
      holePunches = [];
      for (let i = 0; i < punchCount; i++) holePunches.push(this.punch());
    }
    return { endpoints, relays, holePunches };
  }

  private punch(): HolePunchSummary {
    const flags = this.bytes[this.at++];
    const peer = (flags & HAS_PEER) !== 0 ? this.address() : null;
    const path = PATHS[this.bytes[this.at++]];
    const outcome = OUTCOMES[this.bytes[this.at++]];
    const step = this.bytes[this.at++];
    const relay = (flags & HAS_RELAY) !== 0 ? this.relay() : null;
    const latencyMs = (flags & HAS_LATENCY) !== 0 ? this.f64() : null;
    const frameCount = this.view.getUint32(this.at, true);
    this.at += 4;
    const frames: number[] = [];
    for (let i = 0; i < frameCount; i++) frames.push(this.f64());
    return { peer, path, relay, outcome, missingStep: step === NO_STEP ? null : STEPS[step], latencyMs, frames };
  }

  private relay(): RelaySummary {
    const address = this.view.getUint32(this.at, true);
    const port = this.view.getUint16(this.at + 4, true);
    const hasIpv6 = (this.bytes[this.at + 6] & HAS_RELAY_IPV6) !== 0;
    this.at += 7;
    return { endpoint: { address, port }, ipv6: hasIpv6 ? this.address() : null };
  }

  private address(): string {
    const text = formatIpv6(this.bytes, this.at);
    this.at += 16;
    return text;
  }

  private u16(): number {
    const value = this.view.getUint16(this.at, true);
    this.at += 2;
    return value;
  }

  private f64(): number {
    const value = this.view.getFloat64(this.at, true);
    this.at += 8;
    return value;
  }
}
