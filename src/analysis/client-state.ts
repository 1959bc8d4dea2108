import type { NatType, Vantage } from './client-summary.js';
import type { FindingKind } from './finding.js';
import { formatEndpointKey } from './endpoint.js';
import type { FrameSample } from './frame-sample.js';
import type { PeerTracker } from './peer-tracker.js';
import type { MappingSplit } from './mapping-split.js';
import type { RebindingLink } from './rebinding-link.js';
import type { Qualification } from './qualification.js';
import type { RelayPunchTracker } from './relay-punch-tracker.js';
import type { ClientSummaryStore } from './client-summary-store.js';
import { NO_RECORD, type ExtrasChains, type PunchRecord, type SummaryExtrasArena } from './summary-extras.js';

const LEG_SERVER = 1;
const LEG_DIRECT = 2;
const LEG_SERVER_SIDE = 4;

/** Hole punches and relays kept per client; more are counted, not stored. */
export const MAX_PUNCHES_PER_CLIENT = 64;
export const MAX_RELAYS_PER_CLIENT = 32;

/**
 * The live state of one client while its packets are still coming. Everything that only some
 * clients need (punch trackers, peers, anomaly samples) is allocated on first use, and finished
 * relays and hole punches go to the extras arena: a live client costs about 1.4 KB (heap snapshot
 * of the 5M benchmark mix), most of it its qualification's evidence.
 */
export class ClientState implements ExtrasChains {
  /** Position in the live list, used by the directory for its idle ordering. */
  readonly serial: number;
  /** Row of the summary store that holds this client once closed out. */
  readonly slot: number;
  readonly endpoints: number[];
  vantage: Vantage;

  mappedKey = -1;
  /** Frame (reference) of the RA whose origin indication gave `mappedKey`. */
  mappedFrame = 0;
  /** The Teredo address is kept in the client's row of the summary store (`teredo()`). */
  hasTeredo = false;
  serverPrimary = 0;
  serverSecondary = 0;

  /** Verdict so far: from an earlier life of this client (revived from its summary) or the last close-out. */
  natType: NatType = 'unknown';
  qualified = false;
  rsRaRoundTripMs: number | null = null;
  qualificationMs: number | null = null;
  refreshIntervalSeconds: number | null = null;

  qualification: Qualification | null = null;
  relayPunches: RelayPunchTracker | null = null;
  peers: PeerTracker | null = null;
  /** Relays and hole punches, packed in the extras arena (summary-extras.ts): newest record and count. */
  relayHead = NO_RECORD;
  relayCount = 0;
  punchHead = NO_RECORD;
  punchCount = 0;
  private readonly store: ClientSummaryStore;

  /** Socket of the last relay that delivered (saves a relay-list scan per data packet). */
  lastRelayKey = -1;
  /** The client sent a packet from its Teredo address (it had qualified, whatever the capture shows). */
  usedTeredoSource = false;
  addressMismatch: FrameSample | null = null;
  addressMismatchExample = '';
  /** Packets from sockets past the endpoints kept per client (MAX_ENDPOINTS_PER_CLIENT) that claimed to be this client. */
  endpointFlood: FrameSample | null = null;
  /** Outside the NAT: the Teredo address used from a second port of the public IPv4 (symmetric-NAT evidence). */
  mappingSplit: MappingSplit | null = null;
  /** Outside the NAT: a new mapping taken for this client at its maintenance RS (rebinding-link.ts). */
  rebinding: RebindingLink | null = null;
  /** Outside the NAT: the last packet that arrived at the mapped socket (frame, capture time s), for MappingSplit. */
  mappedInFrame = 0;
  mappedInTime = 0;
  bubblePayload: FrameSample | null = null;
  malformed: FrameSample | null = null;
  malformedExample = '';

  /**
   * Which legs of the client's traffic this capture point shows (defect classes of vantage
   * blindness): its exchanges with a server, its packets to or from any other socket (relays,
   * peers), and the server's side of third parties (a relay's or peer's bubble to the server
   * addressed to this client, or the server forwarding this client's bubble to someone else),
   * which only a capture at or next to the server holds.
   */
  /** LEG_* bits, one number rather than three fields: a live client's size is measured (live-client-memory.test.ts). */
  legs = 0;
  get serverLegSeen(): boolean {
    return (this.legs & LEG_SERVER) !== 0;
  }
  set serverLegSeen(seen: boolean) {
    if (seen) this.legs |= LEG_SERVER;
  }
  get directLegSeen(): boolean {
    return (this.legs & LEG_DIRECT) !== 0;
  }
  set directLegSeen(seen: boolean) {
    if (seen) this.legs |= LEG_DIRECT;
  }
  get serverSideSeen(): boolean {
    return (this.legs & LEG_SERVER_SIDE) !== 0;
  }
  set serverSideSeen(seen: boolean) {
    if (seen) this.legs |= LEG_SERVER_SIDE;
  }

  packets = 0;
  /** Frame references (frame-reference.ts): several captures may form one timeline. */
  firstFrame = 0;
  lastFrame = 0;
  /** Capture time (s) of the last packet, for idle eviction. */
  lastSeen = 0;
  /** nonceKey of the latest RS while live (-1: none), as the directory indexes it. */
  latestNonceKey = -1;
  /** Index in the directory's table of live clients, -1 once closed out. */
  liveSlot = -1;
  /** Keys under which the directory indexes this client's mapped sockets. */
  mappedIndexKeys: number[] | null = null;
  /** Neighbours in the directory's least-recently-active list. */
  older: ClientState | null = null;
  newer: ClientState | null = null;

  constructor(serial: number, slot: number, firstEndpoint: number, vantage: Vantage, store: ClientSummaryStore) {
    this.serial = serial;
    this.store = store;
    this.slot = slot;
    this.endpoints = [firstEndpoint];
    this.vantage = vantage;
  }

  /**
   * True when this capture sits at the client's server: it shows the server's side of the
   * client's exchanges but never the client's own packets to relays and peers, so a bubble or a
   * delivery on that leg is unobservable here rather than missing.
   */
  directLegHidden(): boolean {
    return (this.legs & (LEG_SERVER | LEG_SERVER_SIDE | LEG_DIRECT)) === (LEG_SERVER | LEG_SERVER_SIDE);
  }

  get id(): string {
    return formatEndpointKey(this.endpoints[0]);
  }

  /** Where the client's relays and hole punches are packed. */
  private get extras(): SummaryExtrasArena {
    return this.store.extrasArena;
  }

  /** The client's Teredo address (a view into the store), or null when none was learned. */
  teredo(): Uint8Array | null {
    return this.hasTeredo ? this.store.teredoOf(this.slot) : null;
  }

  /** Whether the client's Teredo address is known and is `address`. */
  teredoIs(address: Uint8Array): boolean {
    return this.hasTeredo && this.store.teredoIs(this.slot, address);
  }

  setTeredo(address: Uint8Array): void {
    this.store.setTeredo(this.slot, address);
    this.hasTeredo = true;
  }

  /** Records that a finding of `kind` concerns this client (kept in its summary row). */
  noteFinding(kind: FindingKind): void {
    this.store.addFinding(this.slot, kind);
  }

  hasFinding(kind: FindingKind): boolean {
    return this.store.hasFinding(this.slot, kind);
  }

  /** A relay at socket `key`, with its IPv6 when known; a known relay may learn its IPv6. */
  addRelay(key: number, ipv6: Uint8Array | null): void {
    const known = this.extras.findRelay(this.relayHead, key);
    if (known !== NO_RECORD) {
      if (ipv6 !== null && !this.extras.relayHasIpv6(known)) this.extras.setRelayIpv6(known, ipv6);
      return;
    }
    if (this.relayCount === MAX_RELAYS_PER_CLIENT) return;
    this.relayHead = this.extras.appendRelay(this.relayHead, key, ipv6);
    this.relayCount++;
  }

  addHolePunch(punch: PunchRecord): void {
    if (this.punchCount === MAX_PUNCHES_PER_CLIENT) return;
    this.punchHead = this.extras.appendPunch(this.punchHead, punch);
    this.punchCount++;
  }
}
