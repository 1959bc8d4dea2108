import { timestampSeconds } from '../capture/timestamp.js';
import { isGlobalIpv4, isGlobalIpv4Octets } from '../decode/ip-address.js';
import { TEREDO_PORT } from '../teredo/constants.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { isTeredoAddress } from '../teredo/teredo-address.js';
import type { ClientDirectory } from './client-directory.js';
import type { ClientState } from './client-state.js';
import { embeddedEndpointKey, endpointKey, formatEndpointKey, writeEmbeddedKey } from './endpoint.js';
import type { FindingReporter } from './finding-reporter.js';
import { FrameSample } from './frame-sample.js';
import { MappingSplit } from './mapping-split.js';
import { PeerTracker } from './peer-tracker.js';
import { Qualification } from './qualification.js';
import { findRebinding, nonceKey } from './rebinding-link.js';
import { RelayPunchTracker } from './relay-punch-tracker.js';
import type { ServerPairing } from './server-pairing.js';

/** An outbound packet this soon after an inbound one answers it (a bubble to a relay's bubble). */
const ANSWER_WINDOW_S = 0.01;

const TIME = 0;
const SOURCE = 1;
const DESTINATION = 2;
/** Scratch: the mapped socket embedded in the Teredo address at hand. */
const EMBEDDED = 3;
/** Which outer endpoint of the current packet. */
type Side = typeof SOURCE | typeof DESTINATION;

/**
 * Sends each packet to the client(s) it belongs to and to the tracker of the exchange it is part
 * of. Roles come from the outer UDP ports: to port 3544 = a client talking to a server, from 3544
 * = a server talking to a client, anything else = client ↔ relay or client ↔ client.
 */
export class PacketRouter {
  private readonly directory: ClientDirectory;
  private readonly reporter: FindingReporter;
  private readonly pairing: ServerPairing;
  private readonly unattributed: (packet: TeredoPacket) => void;
  /** Some client's traffic beyond its server was seen: only then can silence link a rebinding. */
  private directLegEver = false;

  constructor(directory: ClientDirectory, reporter: FindingReporter, pairing: ServerPairing, unattributed: (packet: TeredoPacket) => void) {
    this.directory = directory;
    this.reporter = reporter;
    this.pairing = pairing;
    this.unattributed = unattributed;
  }

  /**
   * The packet's capture time (s) and outer endpoint keys (48-bit doubles), read where needed
   * instead of passed down. Why: V8 boxes a double into a fresh heap number for every call it does
   * not inline, and when one value feeds such calls on several branches it boxes it once before
   * the branches, that is for every packet. Per-packet paths therefore compare these in place and
   * leave the rare work to helpers that take a Side and read the value themselves; passing them
   * down cost about 60 MB of garbage on the 2M-packet benchmark mix.
   */
  private readonly current = new Float64Array(4);
  private get time(): number {
    return this.current[TIME];
  }
  private get source(): number {
    return this.current[SOURCE];
  }
  private get destination(): number {
    return this.current[DESTINATION];
  }

  route(packet: TeredoPacket): void {
    const outer = packet.outer;
    const current = this.current;
    current[TIME] = timestampSeconds(packet.time);
    current[SOURCE] = endpointKey(outer.srcIp, outer.srcPort);
    current[DESTINATION] = endpointKey(outer.dstIp, outer.dstPort);
    const toServer = outer.dstPort === TEREDO_PORT;
    const fromServer = outer.srcPort === TEREDO_PORT;
    // A client may use port 3544 too: then the message says which side is the server.
    if ((toServer && !fromServer) || (toServer && packet.kind === 'router-solicitation')) this.clientToServer(packet);
    else if ((fromServer && !toServer) || (fromServer && packet.kind === 'router-advertisement')) this.serverToClient(packet);
    else this.betweenPeers(packet);
  }

  private clientToServer(packet: TeredoPacket): void {
    const outer = packet.outer;
    const time = this.time;
    const source = this.source;
    let client = this.directory.find(source);
    if (packet.kind === 'router-solicitation') {
      if (client === null) {
        const prober = this.pairing.probingClient(outer.srcIp, outer.dstIp, time);
        if (prober !== null && this.directory.isLive(prober)) {
          if (!this.directory.addEndpoint(prober, source)) (prober.endpointFlood ??= new FrameSample()).add(packet.frame);
          client = prober;
        }
        // A socket never seen, soliciting: maybe a known client's new mapping after a rebinding.
        if (client === null && sentFromGlobal(packet)) client = this.rebound(packet);
      }
      client ??= this.create(source);
      this.touch(client, packet);
      client.serverLegSeen = true;
      client.mappingSplit?.onSent(source, packet.frame);
      if (client.serverPrimary === 0) client.serverPrimary = outer.dstIp;
      const toSecondary = outer.dstIp !== client.serverPrimary;
      if (toSecondary && client.serverSecondary === 0) client.serverSecondary = outer.dstIp;
      client.qualification ??= new Qualification();
      client.qualification.onSolicitation(client, packet, time, toSecondary);
      if (!toSecondary && client.vantage === 'outside') this.pairing.notePrimaryExchange(outer.srcIp, client, outer.dstIp, time);
      if (client.vantage === 'outside') this.directory.noteLatestNonce(client, nonceKey(packet.auth?.nonce ?? null));
      this.anomalies(client, packet);
      return;
    }

    if (client === null && isTeredoAddress(packet.ipv6.src)) client = this.linkByAddress(packet.ipv6.src, source, packet);
    if (client === null && packet.kind === 'bubble' && isTeredoAddress(packet.ipv6.dst)) {
      // A socket that never solicited and has no Teredo source bubbles via the server: a relay's
      // indirect bubble (§5.4.1), or a peer whose qualification the capture missed. Not a client.
      this.thirdPartyBubbleToServer(packet);
      return;
    }
    client ??= this.create(source);
    this.touch(client, packet);
    client.serverLegSeen = true;
    client.mappingSplit?.onSent(source, packet.frame);
    this.checkSource(client, packet);
    const dst = packet.ipv6.dst;
    if (packet.kind === 'echo-request' && !isTeredoAddress(dst)) {
      client.relayPunches ??= new RelayPunchTracker();
      client.relayPunches.expire(client, time, this.reporter);
      client.relayPunches.onConnectivityTest(client, packet, time, this.reporter);
    } else if (packet.kind === 'bubble' && isTeredoAddress(dst) && readServer(dst) === outer.dstIp) {
      this.markServerSide(this.clientAddressed(dst));
      client.peers ??= new PeerTracker();
      client.peers.expire(client, time, this.reporter);
      client.peers.onBubbleOut(client, packet, time, true, this.reporter);
    }
    this.anomalies(client, packet);
  }

  private serverToClient(packet: TeredoPacket): void {
    const outer = packet.outer;
    const time = this.time;
    const destination = this.destination;
    let client = this.directory.find(destination);
    if (client === null && packet.kind === 'router-advertisement') client = this.answeredProber(packet);
    if (client === null && isTeredoAddress(packet.ipv6.dst)) client = this.linkByAddress(packet.ipv6.dst, destination, packet);
    client ??= this.create(destination);
    this.touch(client, packet);
    client.serverLegSeen = true;
    this.noteMappedIn(client, packet);
    const src = packet.ipv6.src;
    if (packet.kind === 'router-advertisement') {
      client.qualification ??= new Qualification();
      const accepted = client.qualification.onAdvertisement(client, packet, time, this.reporter, (secondary, primary) => this.pairing.pair(secondary, primary));
      if (accepted) {
        this.directory.indexMapped(client, client.mappedKey);
        if (outer.srcIp === client.serverPrimary && client.vantage === 'outside') this.pairing.notePrimaryExchange(outer.dstIp, client, outer.srcIp, time);
      }
    } else if (packet.kind === 'bubble' && isTeredoAddress(src)) {
      this.markServerSide(this.clientAt(embeddedEndpointKey(src)));
      client.peers ??= new PeerTracker();
      client.peers.onForwardedBubble(client, packet, time, src, embeddedEndpointKey(src), this.reporter);
    } else if (packet.kind === 'bubble' && packet.origin !== null) {
      this.forwardedBubble(client, packet, endpointKey(packet.origin.address, packet.origin.port));
    } else if (packet.kind !== 'bubble' && !isTeredoAddress(src)) {
      // The server relaying native traffic itself (servers must be able to act as relays, §5.4.3).
      this.delivered(client, packet);
    }
    // A server sends to the socket embedded in the destination: that address is the client's.
    if (!client.hasTeredo && packet.kind !== 'router-advertisement' && isTeredoAddress(packet.ipv6.dst)) {
      const embedded = embeddedEndpointKey(packet.ipv6.dst);
      if (client.mappedKey < 0) {
        client.mappedKey = embedded;
        client.mappedFrame = packet.frame;
      }
      if (embedded === client.mappedKey) this.learnAddress(client, packet.ipv6.dst, embedded);
    }
    this.learnDestination(client, packet);
    this.anomalies(client, packet);
  }

  /**
   * A bubble the server forwards with an origin indication and a non-Teredo source: a relay's
   * (§5.4.1), or, when the origin socket is a client of this capture (it solicited a server), that
   * peer's link-local bubble (Miredo). The server's forwarding is seen: the capture is at the server.
   */
  private forwardedBubble(client: ClientState, packet: TeredoPacket, originKey: number): void {
    const origin = this.clientAt(originKey);
    if (origin !== null && origin !== client) {
      this.markServerSide(origin);
      client.peers ??= new PeerTracker();
      client.peers.onForwardedBubble(client, packet, this.time, origin.teredo(), originKey, this.reporter);
      return;
    }
    client.relayPunches ??= new RelayPunchTracker();
    client.relayPunches.onRelayBubble(client, packet, this.time, originKey, this.reporter);
  }

  /**
   * The probing client whose RS this RA answers, when the RA goes to a socket no client holds: the
   * RS came from a port past the client's endpoint bound (a symmetric NAT's probes over a long
   * capture), so the socket was counted, not indexed. Without this the answer made a phantom client.
   */
  private answeredProber(packet: TeredoPacket): ClientState | null {
    const nonce = packet.auth?.nonce;
    if (nonce === undefined || nonce.length !== 8) return null;
    const prober = this.pairing.probingClient(packet.outer.dstIp, packet.outer.srcIp, this.time);
    if (prober === null || !this.directory.isLive(prober) || prober.qualification === null || !prober.qualification.solicitedWith(nonce)) return null;
    if (!this.directory.addEndpoint(prober, this.destination)) (prober.endpointFlood ??= new FrameSample()).add(packet.frame);
    return prober;
  }

  /** findRebinding for the packet's source socket, joined to the client it finds. */
  private rebound(packet: TeredoPacket): ClientState | null {
    const client = findRebinding(this.directory, packet, this.source, this.time, this.directLegEver);
    if (client !== null && !this.directory.addEndpoint(client, this.source)) (client.endpointFlood ??= new FrameSample()).add(packet.frame);
    return client;
  }

  /** thirdPartyBubbleToServer's bubble is for the client its destination embeds, met here or created. */
  private thirdPartyBubbleToServer(packet: TeredoPacket): void {
    const dst = packet.ipv6.dst;
    const embedded = embeddedEndpointKey(dst);
    let client = this.clientAddressed(dst);
    if (client === null) {
      // At a relay the client's own exchange with its server never passes: its socket is the one its address embeds.
      client = this.create(embedded);
      if (client.mappedKey < 0) {
        client.mappedKey = embedded;
        client.mappedFrame = packet.frame;
      }
    }
    if (!client.teredoIs(dst) && embedded === client.mappedKey) this.learnAddress(client, dst, embedded);
    this.touch(client, packet);
    client.serverSideSeen = true;
    client.relayPunches ??= new RelayPunchTracker();
    client.relayPunches.onRelayBubble(client, packet, this.time, this.source, this.reporter, true);
  }

  /** The live client whose Teredo address is `address` (by the socket it embeds), if any. */
  private clientAddressed(address: Uint8Array): ClientState | null {
    return this.clientAt(embeddedEndpointKey(address));
  }

  /** The client at socket `key`, seen there or as its mapped socket. */
  private clientAt(key: number): ClientState | null {
    return this.directory.find(key) ?? this.directory.findByMapped(key, key);
  }

  private markServerSide(client: ClientState | null): void {
    if (client !== null) client.serverSideSeen = true;
  }

  private betweenPeers(packet: TeredoPacket): void {
    const src = packet.ipv6.src;
    const dst = packet.ipv6.dst;
    let sender = this.directory.findAt(this.current, SOURCE);
    let receiver = this.directory.findAt(this.current, DESTINATION);
    // A socket never seen with a server: a known client's new port (symmetric NAT, rebinding), found through its Teredo address.
    if (sender === null && isTeredoAddress(src)) sender = this.linkSideByAddress(src, SOURCE, packet);
    if (receiver === null && isTeredoAddress(dst)) receiver = this.linkSideByAddress(dst, DESTINATION, packet);
    if (sender === null && receiver === null) {
      // The client's exchange with its server happened before the capture started.
      if (isTeredoAddress(src)) sender = this.createAt(SOURCE);
      else if (isTeredoAddress(dst)) receiver = this.createAt(DESTINATION);
      else {
        this.unattributed(packet);
        return;
      }
    }
    if (sender !== null) this.outbound(sender, packet);
    if (receiver !== null && receiver !== sender) this.inbound(receiver, packet, sender === null);
  }

  private outbound(client: ClientState, packet: TeredoPacket): void {
    this.touch(client, packet);
    client.directLegSeen = true;
    this.directLegEver = true;
    client.mappingSplit?.onSent(this.source, packet.frame);
    this.checkSource(client, packet);
    if (packet.kind === 'bubble') {
      if (isTeredoAddress(packet.ipv6.dst)) {
        client.peers ??= new PeerTracker();
        client.peers.expire(client, this.time, this.reporter);
        client.peers.onBubbleOut(client, packet, this.time, false, this.reporter);
      } else if (client.relayPunches !== null) {
        this.clientBubbleToRelay(client.relayPunches, packet);
      }
    } else if (client.peers !== null && !client.peers.isEmpty && isTeredoAddress(packet.ipv6.dst)) {
      client.peers.onDataOut(client, packet, this.time, this.reporter);
    }
    this.anomalies(client, packet);
  }

  /** `ownsAnomalies`: false when the sender is a client too and already carries the packet's anomalies. */
  private inbound(client: ClientState, packet: TeredoPacket, ownsAnomalies: boolean): void {
    this.touch(client, packet);
    client.directLegSeen = true;
    this.directLegEver = true;
    this.noteMappedIn(client, packet);
    const src = packet.ipv6.src;
    if (isTeredoAddress(src)) {
      if (client.relayPunches !== null && !client.relayPunches.isEmpty) this.peerNotRelay(client, client.relayPunches, packet);
      if (client.peers !== null) this.directFromPeer(client, client.peers, packet);
    } else if (packet.kind === 'bubble') {
      this.relayBubbleIn(client, packet);
    } else {
      this.delivered(client, packet);
    }
    this.learnDestination(client, packet);
    if (ownsAnomalies) this.anomalies(client, packet);
  }

  /** Native traffic reaching the client from the packet's source socket: that socket is a relay. */
  private delivered(client: ClientState, packet: TeredoPacket): void {
    if (client.lastRelayKey !== this.source) this.newRelay(client);
    if (client.relayPunches !== null && !client.relayPunches.isEmpty) this.deliveryDuringPunch(client, client.relayPunches, packet);
  }

  private newRelay(client: ClientState): void {
    const source = this.source;
    client.lastRelayKey = source;
    client.addRelay(source, null);
  }

  private deliveryDuringPunch(client: ClientState, punches: RelayPunchTracker, packet: TeredoPacket): void {
    punches.onDelivery(client, packet, this.time, this.source, this.reporter);
  }

  /** A relay behind a non-cone NAT also bubbles straight to the client (§5.4.1). */
  private relayBubbleIn(client: ClientState, packet: TeredoPacket): void {
    client.relayPunches ??= new RelayPunchTracker();
    client.relayPunches.onRelayBubble(client, packet, this.time, this.source, this.reporter);
  }

  private clientBubbleToRelay(punches: RelayPunchTracker, packet: TeredoPacket): void {
    punches.onClientBubble(packet, this.time, this.destination);
  }

  /** The socket of earlier link-local bubbles now sends from a Teredo address: a peer, not a relay. */
  private peerNotRelay(client: ClientState, punches: RelayPunchTracker, packet: TeredoPacket): void {
    // A symmetric NAT may send the peer's packets from another port than its bubbles' origin.
    const embedded = embeddedEndpointKey(packet.ipv6.src);
    const taken = punches.takePeerBubbles(this.source) ?? punches.takePeerBubbles(embedded);
    if (taken === null) return;
    client.peers ??= new PeerTracker();
    client.peers.adopt(client, packet.ipv6.src, embedded, taken.startTime, taken.bubbles, taken.frames, this.reporter);
  }

  private directFromPeer(client: ClientState, peers: PeerTracker, packet: TeredoPacket): void {
    peers.onDirectIn(client, packet, this.time, this.reporter);
  }

  private linkSideByAddress(address: Uint8Array, side: Side, packet: TeredoPacket): ClientState | null {
    return this.linkByAddress(address, this.current[side], packet);
  }

  private createAt(side: Side): ClientState {
    return this.create(this.current[side]);
  }

  private linkByAddress(address: Uint8Array, endpoint: number, packet: TeredoPacket): ClientState | null {
    const client = this.directory.findByMapped(embeddedEndpointKey(address), endpoint);
    if (client !== null && !this.directory.addEndpoint(client, endpoint)) (client.endpointFlood ??= new FrameSample()).add(packet.frame);
    return client;
  }

  /**
   * RFC 4380 §5.3.1 #5 / §5.4.2: a client's Teredo source must embed the socket it is sent from —
   * as seen outside the NAT, so inside the NAT compare with the mapping the RA reported.
   */
  private checkSource(client: ClientState, packet: TeredoPacket): void {
    const src = packet.ipv6.src;
    if (!isTeredoAddress(src)) return;
    client.usedTeredoSource = true;
    const current = this.current;
    writeEmbeddedKey(src, current, EMBEDDED);
    const embedded = current[EMBEDDED];
    const reference = sentFromGlobal(packet) ? this.source : client.mappedKey;
    if (reference < 0 || embedded === reference) {
      if (!client.teredoIs(src)) this.learnEmbeddingAddress(client, src);
      return;
    }
    this.sourceMismatch(client, packet);
  }

  /** A packet reaching the client's mapped socket, seen outside the NAT: that mapping is alive now. */
  private noteMappedIn(client: ClientState, packet: TeredoPacket): void {
    if (this.destination !== client.mappedKey || client.vantage !== 'outside') return;
    client.mappedInFrame = packet.frame;
    client.mappedInTime = this.time;
  }

  /** checkSource's slow path, apart so that the per-packet path handles no boxed doubles. */
  private sourceMismatch(client: ClientState, packet: TeredoPacket): void {
    // checkSource left the embedded key of this packet's source in its slot.
    const embedded = this.current[EMBEDDED];
    const reference = sentFromGlobal(packet) ? this.source : client.mappedKey;
    // Same public IPv4, another port, while the server's view of the mapping still holds: maybe a
    // per-destination mapping (symmetric NAT), proven if the mapped socket is used again later.
    if (client.mappingSplit === null && embedded === client.mappedKey && reference !== embedded && Math.floor(reference / 65536) === Math.floor(embedded / 65536)) {
      client.mappingSplit = new MappingSplit(client.mappedKey, client.mappedFrame, reference, packet.frame);
      // A packet just delivered through the mapped socket and answered from this other port: both
      // mappings are in use at once, toward two destinations (symmetric NAT), not a rebinding.
      if (client.mappedInFrame > 0 && this.time - client.mappedInTime <= ANSWER_WINDOW_S) client.mappingSplit.aliveFrame = client.mappedInFrame;
    }
    client.addressMismatch ??= new FrameSample();
    if (client.addressMismatch.total === 0) {
      client.addressMismatchExample = `frame ${this.reporter.frameText(packet.frame)}: Teredo source embeds ${formatEndpointKey(embedded)}, sent from ${formatEndpointKey(reference)}`;
    }
    client.addressMismatch.add(packet.frame);
  }

  /** An inbound packet to a Teredo address that embeds the client's mapping names the client's address. */
  private learnDestination(client: ClientState, packet: TeredoPacket): void {
    const dst = packet.ipv6.dst;
    // Most packets go to the address already learned: no need to read the mapping out of it.
    if (client.mappedKey < 0 || client.teredoIs(dst) || !isTeredoAddress(dst)) return;
    writeEmbeddedKey(dst, this.current, EMBEDDED);
    if (this.current[EMBEDDED] === client.mappedKey) this.learnEmbeddingAddress(client, dst);
  }

  /** learnAddress for a Teredo address, indexed under the mapping it embeds. */
  private learnEmbeddingAddress(client: ClientState, address: Uint8Array): void {
    this.learnAddress(client, address, embeddedEndpointKey(address));
  }

  private learnAddress(client: ClientState, address: Uint8Array, embedded: number): void {
    if (client.teredoIs(address)) return;
    client.setTeredo(address);
    this.directory.indexMapped(client, embedded);
  }

  private anomalies(client: ClientState, packet: TeredoPacket): void {
    const anomalies = packet.anomalies;
    if (anomalies.length === 0) return;
    // Counted per packet, not per anomaly: a packet with two anomalies is one malformed packet.
    let bubblePayload = false;
    let malformed = false;
    for (const anomaly of anomalies) {
      // A frame cut by the snap length is not malformed; the analyzer reports the capture as snap-limited.
      if (anomaly.kind === 'snap-cut') continue;
      if (anomaly.kind === 'bubble-with-payload') {
        if (bubblePayload) continue;
        bubblePayload = true;
        client.bubblePayload ??= new FrameSample();
        client.bubblePayload.add(packet.frame);
      } else {
        if (malformed) continue;
        malformed = true;
        client.malformed ??= new FrameSample();
        if (client.malformed.total === 0) client.malformedExample = `frame ${this.reporter.frameText(packet.frame)}: ${anomaly.message}`;
        client.malformed.add(packet.frame);
      }
    }
  }

  private create(endpoint: number): ClientState {
    const vantage = isGlobalIpv4(Math.floor(endpoint / 65536)) ? 'outside' : 'inside';
    return this.directory.create(endpoint, vantage, this.time);
  }

  private touch(client: ClientState, packet: TeredoPacket): void {
    // Set here, not passed to the directory: a double argument is boxed when the call is not inlined.
    const time = this.time;
    if (time > client.lastSeen) client.lastSeen = time;
    this.directory.touch(client);
    client.packets++;
    // The reorder buffer hands packets on in time order, so a frame can come after a later-numbered one.
    const frame = packet.frame;
    if (client.firstFrame === 0 || frame < client.firstFrame) client.firstFrame = frame;
    if (frame > client.lastFrame) client.lastFrame = frame;
  }
}

function readServer(address: Uint8Array): number {
  return ((address[4] << 24) | (address[5] << 16) | (address[6] << 8) | address[7]) >>> 0;
}

/** The packet left from a global IPv4 (a capture outside the NAT); octet by octet, never boxed. */
function sentFromGlobal(packet: TeredoPacket): boolean {
  const ip = packet.outer.srcIp;
  return isGlobalIpv4Octets(ip >>> 24, (ip >>> 16) & 0xff, (ip >>> 8) & 0xff);
}
