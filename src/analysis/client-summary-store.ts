import { formatIpv6 } from '../decode/ip-address.js';
import type { ClientState } from './client-state.js';
import type { ClientSummary, NatType } from './client-summary.js';
import { endpointFromKey, formatEndpointKey } from './endpoint.js';
import { FINDING_KINDS, type FindingKind } from './finding.js';
import { KindSetColumn } from './kind-set-column.js';
import { sameIpv6 } from './ipv6-bytes.js';
import { referenceCapture } from './frame-reference.js';
import { SummaryExtrasArena, type SummaryExtras } from './summary-extras.js';

const NAT_TYPES: readonly NatType[] = ['unknown', 'cone', 'restricted', 'symmetric', 'offline'];
const QUALIFIED = 1;
const OUTSIDE = 2;
const HAS_TEREDO = 4;


/** Rows per block: the store grows a block at a time, never copying a full block. */
const BLOCK_ROWS = 65536;
const BLOCK_SHIFT = 16;
/**
 * Rows of the first block when it is made: it doubles (a copy) up to BLOCK_ROWS, so that an
 * analysis of a few clients costs kilobytes, not 6 MB (a ring of per-file analyses holds hundreds).
 */
const FIRST_BLOCK_ROWS = 1024;

/** One block of rows, a column per field. */
class SummaryBlock {
  readonly endpoint: Float64Array;
  readonly mapped: Float64Array;
  /** Frame references need 53 bits. */
  readonly mappedFrame: Float64Array;
  readonly teredo: Uint8Array;
  readonly serverPrimary: Uint32Array;
  readonly serverSecondary: Uint32Array;
  readonly natType: Uint8Array;
  readonly flags: Uint8Array;
  /** Finding kinds, by index in FINDING_KINDS: as wide as the catalog needs. */
  readonly findings: KindSetColumn;
  readonly rtt: Float32Array;
  readonly qualificationMs: Float32Array;
  readonly refresh: Float32Array;
  readonly packets: Uint32Array;
  readonly firstFrame: Float64Array;
  readonly lastFrame: Float64Array;
  /** Where the row's extras lie in the arena, or -1 (most rows have none). */
  readonly extras: Float64Array;

  constructor(readonly rows: number) {
    this.endpoint = new Float64Array(rows);
    this.mapped = new Float64Array(rows);
    this.mappedFrame = new Float64Array(rows);
    this.teredo = new Uint8Array(rows * 16);
    this.serverPrimary = new Uint32Array(rows);
    this.serverSecondary = new Uint32Array(rows);
    this.natType = new Uint8Array(rows);
    this.flags = new Uint8Array(rows);
    this.findings = new KindSetColumn(rows, FINDING_KINDS.length);
    this.rtt = new Float32Array(rows);
    this.qualificationMs = new Float32Array(rows);
    this.refresh = new Float32Array(rows);
    this.packets = new Uint32Array(rows);
    this.firstFrame = new Float64Array(rows);
    this.lastFrame = new Float64Array(rows);
    this.extras = new Float64Array(rows).fill(-1);
  }

  /** A block of `rows` rows holding this one's. */
  grown(rows: number): SummaryBlock {
    const next = new SummaryBlock(rows);
    next.endpoint.set(this.endpoint);
    next.mapped.set(this.mapped);
    next.mappedFrame.set(this.mappedFrame);
    next.teredo.set(this.teredo);
    next.serverPrimary.set(this.serverPrimary);
    next.serverSecondary.set(this.serverSecondary);
    next.natType.set(this.natType);
    next.flags.set(this.flags);
    next.findings.copyFrom(this.findings);
    next.rtt.set(this.rtt);
    next.qualificationMs.set(this.qualificationMs);
    next.refresh.set(this.refresh);
    next.packets.set(this.packets);
    next.firstFrame.set(this.firstFrame);
    next.lastFrame.set(this.lastFrame);
    next.extras.set(this.extras);
    return next;
  }
}

/**
 * Closed-out clients, one row per client in column arrays (~100 bytes a client): a capture with a
 * million clients keeps a million summaries without a million objects. Rows are numbered in the
 * order clients were first seen, which is the order of the report.
 */
export class ClientSummaryStore {
  private count = 0;
  private readonly blocks: SummaryBlock[] = [];
  private readonly arena = new SummaryExtrasArena();

  get size(): number {
    return this.count;
  }

  /** Reserves the row of a new client. */
  allocate(): number {
    if (this.blocks.length === 0) this.blocks.push(new SummaryBlock(FIRST_BLOCK_ROWS));
    else if (this.count === this.blocks[0].rows && this.count < BLOCK_ROWS) this.blocks[0] = this.blocks[0].grown(Math.min(BLOCK_ROWS, this.count * 2));
    else if (this.count === this.blocks.length * BLOCK_ROWS) this.blocks.push(new SummaryBlock(BLOCK_ROWS));
    return this.count++;
  }

  write(client: ClientState): void {
    const row = client.slot;
    const b = this.blocks[row >> BLOCK_SHIFT];
    const i = row & (BLOCK_ROWS - 1);
    b.endpoint[i] = client.endpoints[0];
    b.mapped[i] = client.mappedKey;
    b.mappedFrame[i] = client.mappedFrame;
    b.serverPrimary[i] = client.serverPrimary;
    b.serverSecondary[i] = client.serverSecondary;
    b.natType[i] = NAT_TYPES.indexOf(client.natType);
    b.flags[i] = (client.qualified ? QUALIFIED : 0) | (client.vantage === 'outside' ? OUTSIDE : 0) | (client.hasTeredo ? HAS_TEREDO : 0);
    b.rtt[i] = client.rsRaRoundTripMs ?? Number.NaN;
    b.qualificationMs[i] = client.qualificationMs ?? Number.NaN;
    b.refresh[i] = client.refreshIntervalSeconds ?? Number.NaN;
    b.packets[i] = client.packets;
    b.firstFrame[i] = client.firstFrame;
    b.lastFrame[i] = client.lastFrame;
    b.extras[i] = client.endpoints.length > 1 || client.relayCount > 0 || client.punchCount > 0 ? this.arena.writeExtras(client.endpoints.slice(1), client) : -1;
  }

  /** Gives a client that shows up again after eviction everything its summary knew. */
  restore(client: ClientState): void {
    const row = client.slot;
    const b = this.blocks[row >> BLOCK_SHIFT];
    const i = row & (BLOCK_ROWS - 1);
    client.mappedKey = b.mapped[i];
    client.mappedFrame = b.mappedFrame[i];
    client.hasTeredo = (b.flags[i] & HAS_TEREDO) !== 0;
    client.serverPrimary = b.serverPrimary[i];
    client.serverSecondary = b.serverSecondary[i];
    client.natType = NAT_TYPES[b.natType[i]];
    client.qualified = (b.flags[i] & QUALIFIED) !== 0;
    client.vantage = (b.flags[i] & OUTSIDE) !== 0 ? 'outside' : 'inside';
    client.rsRaRoundTripMs = nullable(b.rtt[i]);
    client.qualificationMs = nullable(b.qualificationMs[i]);
    client.refreshIntervalSeconds = nullable(b.refresh[i]);
    client.packets = b.packets[i];
    client.firstFrame = b.firstFrame[i];
    client.lastFrame = b.lastFrame[i];
    const at = b.extras[i];
    if (at >= 0) {
      // The revived client goes on with the chains of its relays and hole punches.
      const { endpoints, chains } = this.arena.readExtras(at);
      for (const key of endpoints) client.endpoints.push(key);
      client.relayHead = chains.relayHead;
      client.relayCount = chains.relayCount;
      client.punchHead = chains.punchHead;
      client.punchCount = chains.punchCount;
    }
  }

  /** Endpoints of a row (the directory re-indexes them when a client is revived). */
  endpointsOf(row: number): number[] {
    const b = this.blocks[row >> BLOCK_SHIFT];
    const at = b.extras[row & (BLOCK_ROWS - 1)];
    return [b.endpoint[row & (BLOCK_ROWS - 1)], ...(at >= 0 ? this.arena.readExtras(at).endpoints : [])];
  }

  /**
   * A client's Teredo address lives in its row from the moment it is learned, live or closed: a
   * Uint8Array of its own cost a live client 160 bytes of heap for 16 bytes of data.
   */
  setTeredo(row: number, address: Uint8Array): void {
    this.blocks[row >> BLOCK_SHIFT].teredo.set(address.subarray(0, 16), (row & (BLOCK_ROWS - 1)) * 16);
  }

  /** A finding of `kind` concerns the row's client (live or closed: the row keeps every kind it had). */
  addFinding(row: number, kind: FindingKind): void {
    const index = FINDING_KINDS.indexOf(kind);
    if (index < 0) throw new RangeError(`unknown finding kind ${String(kind)}`);
    this.blocks[row >> BLOCK_SHIFT].findings.add(row & (BLOCK_ROWS - 1), index);
  }

  hasFinding(row: number, kind: FindingKind): boolean {
    return this.blocks[row >> BLOCK_SHIFT].findings.has(row & (BLOCK_ROWS - 1), FINDING_KINDS.indexOf(kind));
  }

  /** Whether the row's Teredo address (set or not) is `address`. */
  teredoIs(row: number, address: Uint8Array): boolean {
    return sameIpv6(this.blocks[row >> BLOCK_SHIFT].teredo, address, (row & (BLOCK_ROWS - 1)) * 16);
  }

  /** The row's Teredo address, as a view into the store (valid only while the client has one). */
  teredoOf(row: number): Uint8Array {
    const at = (row & (BLOCK_ROWS - 1)) * 16;
    return this.blocks[row >> BLOCK_SHIFT].teredo.subarray(at, at + 16);
  }

  /** The arena where clients keep their relays and hole punches. */
  get extrasArena(): SummaryExtrasArena {
    return this.arena;
  }

  /** The row's extras, unpacked afresh, or null. */
  private extrasOf(row: number): SummaryExtras | null {
    const at = this.blocks[row >> BLOCK_SHIFT].extras[row & (BLOCK_ROWS - 1)];
    return at < 0 ? null : this.arena.read(at);
  }

  get(row: number): ClientSummary {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) throw new RangeError(`no client summary ${row}`);
    const b = this.blocks[row >> BLOCK_SHIFT];
    const i = row & (BLOCK_ROWS - 1);
    const extras = this.extrasOf(row);
    const flags = b.flags[i];
    const mapped = b.mapped[i];
    return {
      id: formatEndpointKey(b.endpoint[i]),
      capture: referenceCapture(b.firstFrame[i]),
      vantage: (flags & OUTSIDE) !== 0 ? 'outside' : 'inside',
      endpoints: [b.endpoint[i], ...(extras?.endpoints ?? [])].map(endpointFromKey),
      mapped: mapped >= 0 ? endpointFromKey(mapped) : null,
      teredoAddress: (flags & HAS_TEREDO) !== 0 ? formatIpv6(b.teredo, i * 16) : null,
      serverPrimary: b.serverPrimary[i] !== 0 ? b.serverPrimary[i] : null,
      serverSecondary: b.serverSecondary[i] !== 0 ? b.serverSecondary[i] : null,
      natType: NAT_TYPES[b.natType[i]],
      qualified: (flags & QUALIFIED) !== 0,
      relays: extras?.relays ?? [],
      holePunches: extras?.holePunches ?? [],
      findings: b.findings.indexes(i).map((index) => FINDING_KINDS[index]),
      rsRaRoundTripMs: nullable(b.rtt[i]),
      qualificationMs: nullable(b.qualificationMs[i]),
      refreshIntervalSeconds: nullable(b.refresh[i]),
      packets: b.packets[i],
      firstFrame: b.firstFrame[i],
      lastFrame: b.lastFrame[i],
    };
  }
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : Math.round(value * 1000) / 1000;
}
