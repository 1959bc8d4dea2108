import { formatIpv6 } from '../decode/ip-address.js';
import type { ClientState } from './client-state.js';
import type { ClientSummary, HolePunchSummary, NatType, RelaySummary } from './client-summary.js';
import { endpointFromKey, formatEndpointKey } from './endpoint.js';
import { kindsFromMask } from './finding.js';

const NAT_TYPES: readonly NatType[] = ['unknown', 'cone', 'restricted', 'symmetric', 'offline'];
const QUALIFIED = 1;
const OUTSIDE = 2;
const HAS_TEREDO = 4;

/** The rarely present parts of a summary, kept apart so that most clients cost no object at all. */
interface SummaryExtras {
  endpoints: number[];
  relays: RelaySummary[] | null;
  holePunches: HolePunchSummary[] | null;
}

/**
 * Closed-out clients, one row per client in column arrays (~90 bytes a client): a capture with a
 * million clients keeps a million summaries without a million objects. Rows are numbered in the
 * order clients were first seen, which is the order of the report.
 */
export class ClientSummaryStore {
  private count = 0;
  private capacity = 0;
  private endpoint = new Float64Array(0);
  private mapped = new Float64Array(0);
  private mappedFrame = new Uint32Array(0);
  private teredo = new Uint8Array(0);
  private serverPrimary = new Uint32Array(0);
  private serverSecondary = new Uint32Array(0);
  private natType = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private findings = new Uint16Array(0);
  private capture = new Uint16Array(0);
  private rtt = new Float32Array(0);
  private qualificationMs = new Float32Array(0);
  private refresh = new Float32Array(0);
  private packets = new Uint32Array(0);
  private firstFrame = new Uint32Array(0);
  private lastFrame = new Uint32Array(0);
  private readonly extras = new Map<number, SummaryExtras>();

  get size(): number {
    return this.count;
  }

  /** Reserves the row of a new client. */
  allocate(): number {
    if (this.count === this.capacity) this.grow();
    return this.count++;
  }

  write(client: ClientState): void {
    const row = client.slot;
    this.endpoint[row] = client.endpoints[0];
    this.mapped[row] = client.mappedKey;
    this.mappedFrame[row] = client.mappedFrame;
    if (client.teredo !== null) this.teredo.set(client.teredo, row * 16);
    this.serverPrimary[row] = client.serverPrimary;
    this.serverSecondary[row] = client.serverSecondary;
    this.natType[row] = NAT_TYPES.indexOf(client.natType);
    this.flags[row] = (client.qualified ? QUALIFIED : 0) | (client.vantage === 'outside' ? OUTSIDE : 0) | (client.teredo !== null ? HAS_TEREDO : 0);
    this.findings[row] = client.findingMask;
    this.capture[row] = client.capture;
    this.rtt[row] = client.rsRaRoundTripMs ?? Number.NaN;
    this.qualificationMs[row] = client.qualificationMs ?? Number.NaN;
    this.refresh[row] = client.refreshIntervalSeconds ?? Number.NaN;
    this.packets[row] = client.packets;
    this.firstFrame[row] = client.firstFrame;
    this.lastFrame[row] = client.lastFrame;
    if (client.endpoints.length > 1 || client.relays !== null || client.holePunches !== null) {
      this.extras.set(row, { endpoints: client.endpoints.slice(1), relays: client.relays, holePunches: client.holePunches });
    } else {
      this.extras.delete(row);
    }
  }

  /** Gives a client that shows up again after eviction everything its summary knew. */
  restore(client: ClientState): void {
    const row = client.slot;
    client.mappedKey = this.mapped[row];
    client.mappedFrame = this.mappedFrame[row];
    if ((this.flags[row] & HAS_TEREDO) !== 0) client.teredo = this.teredo.slice(row * 16, row * 16 + 16);
    client.serverPrimary = this.serverPrimary[row];
    client.serverSecondary = this.serverSecondary[row];
    client.natType = NAT_TYPES[this.natType[row]];
    client.qualified = (this.flags[row] & QUALIFIED) !== 0;
    client.vantage = (this.flags[row] & OUTSIDE) !== 0 ? 'outside' : 'inside';
    client.findingMask = this.findings[row];
    client.rsRaRoundTripMs = nullable(this.rtt[row]);
    client.qualificationMs = nullable(this.qualificationMs[row]);
    client.refreshIntervalSeconds = nullable(this.refresh[row]);
    client.packets = this.packets[row];
    client.firstFrame = this.firstFrame[row];
    client.lastFrame = this.lastFrame[row];
    const extras = this.extras.get(row);
    if (extras !== undefined) {
      for (const key of extras.endpoints) client.endpoints.push(key);
      client.relays = extras.relays;
      client.holePunches = extras.holePunches;
    }
  }

  captureOf(row: number): number {
    return this.capture[row];
  }

  /** Endpoints of a row (the directory re-indexes them when a client is revived). */
  endpointsOf(row: number): number[] {
    return [this.endpoint[row], ...(this.extras.get(row)?.endpoints ?? [])];
  }

  get(row: number): ClientSummary {
    if (row < 0 || row >= this.count) throw new RangeError(`no client summary ${row}`);
    const extras = this.extras.get(row);
    const flags = this.flags[row];
    const mapped = this.mapped[row];
    return {
      id: formatEndpointKey(this.endpoint[row]),
      capture: this.capture[row],
      vantage: (flags & OUTSIDE) !== 0 ? 'outside' : 'inside',
      endpoints: this.endpointsOf(row).map(endpointFromKey),
      mapped: mapped >= 0 ? endpointFromKey(mapped) : null,
      teredoAddress: (flags & HAS_TEREDO) !== 0 ? formatIpv6(this.teredo, row * 16) : null,
      serverPrimary: this.serverPrimary[row] !== 0 ? this.serverPrimary[row] : null,
      serverSecondary: this.serverSecondary[row] !== 0 ? this.serverSecondary[row] : null,
      natType: NAT_TYPES[this.natType[row]],
      qualified: (flags & QUALIFIED) !== 0,
      relays: extras?.relays?.map((r) => ({ endpoint: { ...r.endpoint }, ipv6: r.ipv6 })) ?? [],
      holePunches: extras?.holePunches?.map((p) => ({ ...p, frames: [...p.frames] })) ?? [],
      findings: kindsFromMask(this.findings[row]),
      rsRaRoundTripMs: nullable(this.rtt[row]),
      qualificationMs: nullable(this.qualificationMs[row]),
      refreshIntervalSeconds: nullable(this.refresh[row]),
      packets: this.packets[row],
      firstFrame: this.firstFrame[row],
      lastFrame: this.lastFrame[row],
    };
  }

  private grow(): void {
    const capacity = Math.max(1024, this.capacity * 2);
    const grow = <T extends Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old);
      return next;
    };
    this.endpoint = grow(this.endpoint, (n) => new Float64Array(n));
    this.mapped = grow(this.mapped, (n) => new Float64Array(n));
    this.mappedFrame = grow(this.mappedFrame, (n) => new Uint32Array(n));
    this.teredo = grow(this.teredo, (n) => new Uint8Array(n), 16);
    this.serverPrimary = grow(this.serverPrimary, (n) => new Uint32Array(n));
    this.serverSecondary = grow(this.serverSecondary, (n) => new Uint32Array(n));
    this.natType = grow(this.natType, (n) => new Uint8Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.findings = grow(this.findings, (n) => new Uint16Array(n));
    this.capture = grow(this.capture, (n) => new Uint16Array(n));
    this.rtt = grow(this.rtt, (n) => new Float32Array(n));
    this.qualificationMs = grow(this.qualificationMs, (n) => new Float32Array(n));
    this.refresh = grow(this.refresh, (n) => new Float32Array(n));
    this.packets = grow(this.packets, (n) => new Uint32Array(n));
    this.firstFrame = grow(this.firstFrame, (n) => new Uint32Array(n));
    this.lastFrame = grow(this.lastFrame, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }
}

/** NaN marks "not measured"; float32 noise is rounded off to the microsecond. */
function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : Math.round(value * 1000) / 1000;
}
