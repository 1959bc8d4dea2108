import { embeddedEndpointKey, endpointKey, formatEndpointKey } from './endpoint.js';
import { formatIpv6 } from '../decode/ip-address.js';
import type { TeredoPacket } from '../teredo/packet.js';
import type { ClientState } from './client-state.js';
import type { PunchOutcome, PunchStep } from './client-summary.js';
import { MAX_FINDING_FRAMES } from './finding.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';
import { sameIpv6 } from './ipv6-bytes.js';
import { ATTEMPT_STALE_S, PUNCH_GIVE_UP_S, ROUND_MIN_GAP_S } from './protocol-timing.js';

const MAX_ACTIVE_EXCHANGES = 16;

interface PeerExchange {
  /** The peer's Teredo address; null while only its socket is known (a link-local bubble forwarded from it). */
  peer: Uint8Array | null;
  /** The peer's mapped socket (embedded in its Teredo address, or the origin of its forwarded bubble). */
  peerSocket: number;
  startTime: number;
  lastTime: number;
  /** Time of the client's last bubble of this round (NaN: none yet). */
  lastOutTime: number;
  round: number;
  /** The bubble that retried this round, the client having given up on it (0: not retried). */
  retryFrame: number;
  frames: number[];
  directOut: number;
  indirectOut: number;
  /** Bubbles of the peer forwarded by the client's own server (the peer started). */
  indirectIn: number;
  deliveryFrame: number;
  deliveryTime: number;
  /** Sockets the client sent direct bubbles to (a restricted NAT lets only their packets in). */
  addressed: number[] | null;
  /** Outside the NAT: the first packet from the peer that came from a socket the client never addressed (0: none). */
  unaddressedFrame: number;
  unaddressedTime: number;
  unaddressedFrom: number;
}

const MAX_ADDRESSED = 4;

/**
 * Client-to-client hole punching (RFC 4380 §5.2.4 cases 4/5, §5.2.6; protocol notes §5c): direct
 * bubbles to the peer's mapped socket, indirect bubbles via the peer's server, the peer's bubbles
 * forwarded by the client's server, until a packet arrives straight from the peer.
 */
export class PeerTracker {
  private readonly active: PeerExchange[] = [];

  get isEmpty(): boolean {
    return this.active.length === 0;
  }

  /** A bubble from the client toward a peer's Teredo address (direct: to its socket; indirect: to its server). */
  onBubbleOut(client: ClientState, packet: TeredoPacket, time: number, indirect: boolean, reporter: FindingReporter): void {
    let exchange = this.exchangeFor(client, packet.ipv6.dst, time, reporter);
    if (exchange.deliveryFrame === 0 && time - exchange.lastOutTime >= ROUND_MIN_GAP_S) {
      // A bubble again after the timeout: the client gave up on the earlier round.
      const round = exchange.round + 1;
      exchange.retryFrame = packet.frame;
      this.finish(client, exchange, time, false, reporter);
      exchange = this.exchangeFor(client, packet.ipv6.dst, time, reporter);
      exchange.round = round;
    }
    exchange.lastOutTime = time;
    if (indirect) exchange.indirectOut++;
    else {
      exchange.directOut++;
      const to = endpointKey(packet.outer.dstIp, packet.outer.dstPort);
      exchange.addressed ??= [];
      if (exchange.addressed.length < MAX_ADDRESSED && !exchange.addressed.includes(to)) exchange.addressed.push(to);
    }
    push(exchange.frames, packet.frame);
    exchange.lastTime = time;
  }

  /**
   * The peer's bubble relayed by the client's own server: `peer` is the peer's Teredo address, or
   * null when the bubble came from a link-local source (Miredo) and only `peerSocket`, its origin
   * indication, names the peer.
   */
  onForwardedBubble(client: ClientState, packet: TeredoPacket, time: number, peer: Uint8Array | null, peerSocket: number, reporter: FindingReporter): void {
    const exchange = this.exchangeAt(client, peer, peerSocket, time, reporter);
    exchange.indirectIn++;
    push(exchange.frames, packet.frame);
    exchange.lastTime = time;
  }

  /** Anything arriving straight from a peer's socket with its Teredo source. */
  onDirectIn(client: ClientState, packet: TeredoPacket, time: number, reporter: FindingReporter): void {
    if (this.active.length === 0) return;
    const exchange = this.find(packet.ipv6.src, embeddedEndpointKey(packet.ipv6.src));
    if (exchange === undefined) return;
    exchange.peer ??= packet.ipv6.src.slice(0, 16);
    const from = endpointKey(packet.outer.srcIp, packet.outer.srcPort);
    if (client.vantage === 'outside' && client.natType !== 'cone' && !(exchange.addressed?.includes(from) ?? false)) {
      // Seen outside the NAT, from a socket the client never addressed: a restricted or symmetric
      // NAT drops it (RFC 4380 §5.2.3). Only the client's own data to the peer proves it got through.
      if (exchange.unaddressedFrame === 0) {
        exchange.unaddressedFrame = packet.frame;
        exchange.unaddressedTime = time;
        exchange.unaddressedFrom = from;
      }
      push(exchange.frames, packet.frame);
      exchange.lastTime = time;
      return;
    }
    exchange.deliveryFrame = packet.frame;
    exchange.deliveryTime = time;
    push(exchange.frames, packet.frame);
    this.finish(client, exchange, time, false, reporter);
  }

  /**
   * The client sends something other than a bubble straight to a peer: it considers the hole
   * punched, so a packet of the peer that the capture could not prove delivered did get through.
   */
  onDataOut(client: ClientState, packet: TeredoPacket, time: number, reporter: FindingReporter): void {
    const exchange = this.find(packet.ipv6.dst, embeddedEndpointKey(packet.ipv6.dst));
    if (exchange === undefined || exchange.unaddressedFrame === 0) return;
    exchange.deliveryFrame = exchange.unaddressedFrame;
    exchange.deliveryTime = exchange.unaddressedTime;
    push(exchange.frames, packet.frame);
    this.finish(client, exchange, time, false, reporter);
  }

  expire(client: ClientState, now: number, reporter: FindingReporter): void {
    for (const exchange of [...this.active]) if (now - exchange.lastTime >= ATTEMPT_STALE_S) this.finish(client, exchange, now, false, reporter);
  }

  closeAll(client: ClientState, now: number, atCaptureEnd: boolean, reporter: FindingReporter): void {
    for (const exchange of [...this.active]) this.finish(client, exchange, now, atCaptureEnd, reporter);
  }

  /**
   * A bubble exchange that began as a link-local bubble forwarded from `peerSocket` (first taken
   * for a relay's) is a peer's: the peer has now sent from its Teredo address `peer`.
   */
  adopt(client: ClientState, peer: Uint8Array, peerSocket: number, startTime: number, bubbles: number, frames: readonly number[], reporter: FindingReporter): void {
    const exchange = this.exchangeAt(client, peer, peerSocket, startTime, reporter);
    exchange.startTime = Math.min(exchange.startTime, startTime);
    exchange.indirectIn += bubbles;
    for (const frame of frames) push(exchange.frames, frame);
  }

  private exchangeFor(client: ClientState, peer: Uint8Array, time: number, reporter: FindingReporter): PeerExchange {
    return this.exchangeAt(client, peer, embeddedEndpointKey(peer), time, reporter);
  }

  private find(peer: Uint8Array | null, peerSocket: number): PeerExchange | undefined {
    return this.active.find((e) => (e.peer !== null && peer !== null ? sameIpv6(e.peer, peer) : e.peerSocket === peerSocket));
  }

  private exchangeAt(client: ClientState, peer: Uint8Array | null, peerSocket: number, time: number, reporter: FindingReporter): PeerExchange {
    let exchange = this.find(peer, peerSocket);
    if (exchange === undefined) {
      if (this.active.length >= MAX_ACTIVE_EXCHANGES) this.finish(client, this.active[0], time, false, reporter);
      exchange = { peer: peer === null ? null : peer.slice(0, 16), peerSocket, startTime: time, lastTime: time, lastOutTime: Number.NaN, round: 1, retryFrame: 0, frames: [], directOut: 0, indirectOut: 0, indirectIn: 0, deliveryFrame: 0, deliveryTime: 0, addressed: null, unaddressedFrame: 0, unaddressedTime: 0, unaddressedFrom: -1 };
      this.active.push(exchange);
    }
    exchange.peer ??= peer === null ? null : peer.slice(0, 16);
    return exchange;
  }

  private finish(client: ClientState, exchange: PeerExchange, now: number, atCaptureEnd: boolean, reporter: FindingReporter): void {
    this.active.splice(this.active.indexOf(exchange), 1);
    const delivered = exchange.deliveryFrame > 0;
    let outcome: PunchOutcome = 'success';
    let missing: PunchStep | null = null;
    if (!delivered) {
      outcome = atCaptureEnd && now - exchange.lastTime < PUNCH_GIVE_UP_S ? 'pending' : 'failed';
      // A peer that knocked via the server and got no direct bubble back: the client did not punch.
      const step: PunchStep = exchange.directOut === 0 && exchange.indirectIn > 0 ? 'client-bubble' : 'peer-reply';
      // At the server both steps travel between the client and the peer, past the capture point.
      if (client.directLegHidden()) outcome = 'unobservable';
      if (outcome !== 'pending') missing = step;
    }
    const frames = [...exchange.frames].sort((a, b) => a - b);
    client.addHolePunch({
      peer: exchange.peer,
      path: 'direct',
      relayKey: -1,
      relayIpv6: null,
      outcome,
      missingStep: missing,
      // Reordered packets give no latency, never a negative one.
      latencyMs: delivered && exchange.deliveryTime >= exchange.startTime ? Math.round((exchange.deliveryTime - exchange.startTime) * 1e6) / 1e3 : null,
      frames,
    });
    if (missing === null || outcome === 'unobservable') return;
    const socket = formatEndpointKey(exchange.peerSocket);
    const peer = exchange.peer !== null ? formatIpv6(exchange.peer) : `at ${socket}`;
    const roundText = exchange.retryFrame === 0 ? '' : `Round ${exchange.round}, abandoned when the client bubbled again at frame ${reporter.frameText(exchange.retryFrame)}: `;
    reportFinding(reporter, client, 'hole-punch-failed', () => ({
      frames,
      message: roundText + (missing === 'client-bubble'
        ? `Peer ${peer} sent ${exchange.indirectIn} bubble${exchange.indirectIn === 1 ? '' : 's'} via the server but the client never answered with a direct bubble`
        : exchange.unaddressedFrame > 0
          ? `Peer ${peer} answered from ${formatEndpointKey(exchange.unaddressedFrom)} (frame ${reporter.frameText(exchange.unaddressedFrame)}), a socket the client never sent to (it bubbled to ${exchange.addressed?.map(formatEndpointKey).join(', ') ?? 'none'}): seen outside the client's NAT, which drops it unless the NAT is a cone (RFC 4380 §5.2.3), and the client never sent data to the peer`
          : `No packet came straight from peer ${peer} (${socket}) after ${exchange.directOut} direct and ${exchange.indirectOut} indirect bubble${exchange.directOut + exchange.indirectOut === 1 ? '' : 's'}: both NATs restrictive or symmetric, or the peer is gone`),
    }));
  }
}

function push(frames: number[], frame: number): void {
  if (frames.length < MAX_FINDING_FRAMES) frames.push(frame);
}
