import { formatIpv6 } from '../decode/ip-address.js';
import type { TeredoPacket } from '../teredo/packet.js';
import type { ClientState } from './client-state.js';
import type { PunchOutcome, PunchPath, PunchStep } from './client-summary.js';
import { formatEndpointKey } from './endpoint.js';
import { MAX_FINDING_FRAMES } from './finding.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';
import { is6to4Of, sameIpv6 } from './ipv6-bytes.js';
import { ATTEMPT_STALE_S, PUNCH_GIVE_UP_S, ROUND_MIN_GAP_S } from './protocol-timing.js';

/** Attempts in flight per client; an older one is closed when a new one would exceed this. */
const MAX_ACTIVE_ATTEMPTS = 16;

interface RelayAttempt {
  /** Native IPv6 peer (copy of the echo destination), null until a relay delivers for an unknown peer. */
  peer: Uint8Array | null;
  startTime: number;
  lastTime: number;
  /** Time of the last connectivity test of this round (NaN: none). */
  lastTestTime: number;
  /** 1 for the first round toward this peer, then one more for each retry the client made. */
  round: number;
  /** The test that retried this round, so the client gave up on it (0: not retried). */
  retryFrame: number;
  testFrames: number[];
  relayKey: number;
  /** The relay's own IPv6 (a copy of its bubble's source). */
  relayIpv6: Uint8Array | null;
  relayBubbleFrames: number[];
  clientBubbleFrames: number[];
  deliveryFrame: number;
  deliveryTime: number;
  /** The relay delivered straight to the client without a relay bubble and is the host itself. */
  hostSpecific: boolean;
  /**
   * Every bubble so far came from a link-local source: Miredo's relays and clients both bubble from
   * fe80::, so the socket may yet turn out to be a peer (it sends from a Teredo address embedding
   * it) rather than a relay (it delivers native IPv6).
   */
  linkLocalOnly: boolean;
  /** A relay bubble was seen on its way to the server (a capture at the server or the relay). */
  toServerSeen: boolean;
  /** The server's forwarding of a relay bubble to the client was seen. */
  forwardedSeen: boolean;
}

/** What a link-local bubble exchange held when it turned out to be a peer's, not a relay's. */
export interface PeerBubbles {
  startTime: number;
  bubbles: number;
  frames: number[];
}

/**
 * Relay discovery and hole punching toward native IPv6 hosts (RFC 4380 §5.2.9, §5.4.1; protocol
 * notes §5a): connectivity test via the server → relay bubble forwarded by the server with the
 * relay's socket as origin indication → the client's bubble to that socket → the first packet the
 * relay delivers. Also a relay that starts with its bubble (a native host reaching the client).
 */
export class RelayPunchTracker {
  private readonly active: RelayAttempt[] = [];

  get isEmpty(): boolean {
    return this.active.length === 0;
  }

  onConnectivityTest(client: ClientState, packet: TeredoPacket, time: number, reporter: FindingReporter): void {
    const peer = packet.ipv6.dst;
    let attempt = this.active.find((a) => a.peer !== null && sameIpv6(a.peer, peer) && time - a.lastTime < ATTEMPT_STALE_S);
    let round = 1;
    if (attempt !== undefined && attempt.deliveryFrame === 0 && time - attempt.lastTestTime >= ROUND_MIN_GAP_S) {
      // A retry after the timeout: the client abandoned the earlier round, a failure that already happened.
      round = attempt.round + 1;
      attempt.retryFrame = packet.frame;
      this.finish(client, attempt, time, false, reporter);
      attempt = undefined;
    }
    if (attempt === undefined) {
      if (this.active.length >= MAX_ACTIVE_ATTEMPTS) this.finish(client, this.active[0], time, false, reporter);
      attempt = newAttempt(peer.slice(), time);
      attempt.round = round;
      this.active.push(attempt);
    }
    push(attempt.testFrames, packet.frame);
    attempt.lastTime = time;
    attempt.lastTestTime = time;
  }

  /**
   * A relay bubble: forwarded by the server (relay socket from the origin indication), sent
   * straight by the relay, or (`toServer`) seen on its way from the relay to the server.
   */
  onRelayBubble(client: ClientState, packet: TeredoPacket, time: number, relayKey: number, reporter: FindingReporter, toServer = false): void {
    const linkLocal = isLinkLocal(packet.ipv6.src);
    if (!linkLocal) client.addRelay(relayKey, packet.ipv6.src);
    let attempt = this.active.find((a) => a.relayKey === relayKey);
    if (attempt === undefined) {
      for (let i = this.active.length - 1; i >= 0 && attempt === undefined; i--) if (this.active[i].relayKey < 0) attempt = this.active[i];
    }
    if (attempt === undefined) {
      // The relay has a packet for the client from a native host the client did not test: §5.4.1.
      if (this.active.length >= MAX_ACTIVE_ATTEMPTS) this.finish(client, this.active[0], time, false, reporter);
      attempt = newAttempt(null, time);
      this.active.push(attempt);
    }
    attempt.relayKey = relayKey;
    attempt.relayIpv6 = packet.ipv6.src.slice(0, 16);
    attempt.linkLocalOnly &&= linkLocal;
    if (toServer) attempt.toServerSeen = true;
    else attempt.forwardedSeen = true;
    if (attempt.peer !== null && sameIpv6(attempt.peer, packet.ipv6.src)) attempt.hostSpecific = true;
    push(attempt.relayBubbleFrames, packet.frame);
    attempt.lastTime = time;
  }

  /**
   * The socket `key` sent from a Teredo address: if an open attempt holds only link-local bubbles
   * from it and no connectivity test, they were a peer's bubbles; the attempt is removed and handed back.
   */
  takePeerBubbles(key: number): PeerBubbles | null {
    const attempt = this.active.find((a) => a.relayKey === key && a.linkLocalOnly && a.testFrames.length === 0 && a.deliveryFrame === 0);
    if (attempt === undefined) return null;
    this.active.splice(this.active.indexOf(attempt), 1);
    const frames = [...attempt.relayBubbleFrames, ...attempt.clientBubbleFrames].sort((a, b) => a - b);
    return { startTime: attempt.startTime, bubbles: attempt.relayBubbleFrames.length, frames };
  }

  /** The client's bubble to a socket; true when it answers a relay bubble of an open attempt. */
  onClientBubble(packet: TeredoPacket, time: number, destinationKey: number): boolean {
    const attempt = this.active.find((a) => a.relayKey === destinationKey);
    if (attempt === undefined) return false;
    push(attempt.clientBubbleFrames, packet.frame);
    attempt.lastTime = time;
    return true;
  }

  /** A packet with a native IPv6 source from a non-server socket: something a relay delivered. */
  onDelivery(client: ClientState, packet: TeredoPacket, time: number, sourceKey: number, reporter: FindingReporter): void {
    if (this.active.length === 0) return;
    let attempt = this.active.find((a) => a.relayKey === sourceKey);
    if (attempt === undefined) {
      const src = packet.ipv6.src;
      attempt = this.active.find((a) => a.relayKey < 0 && a.peer !== null && sameIpv6(a.peer, src));
      if (attempt === undefined) return;
      attempt.linkLocalOnly = false;
      // No relay bubble, straight from a socket: a cone client reached directly, or the host itself.
      attempt.relayKey = sourceKey;
      attempt.hostSpecific = is6to4Of(src, Math.floor(sourceKey / 65536));
    }
    attempt.peer ??= packet.ipv6.src.slice();
    attempt.linkLocalOnly = false;
    attempt.deliveryFrame = packet.frame;
    attempt.deliveryTime = time;
    this.finish(client, attempt, time, false, reporter);
  }

  /** Closes attempts that have seen nothing for a long time. */
  expire(client: ClientState, now: number, reporter: FindingReporter): void {
    for (const attempt of [...this.active]) if (now - attempt.lastTime >= ATTEMPT_STALE_S) this.finish(client, attempt, now, false, reporter);
  }

  closeAll(client: ClientState, now: number, atCaptureEnd: boolean, reporter: FindingReporter): void {
    for (const attempt of [...this.active]) this.finish(client, attempt, now, atCaptureEnd, reporter);
  }

  private finish(client: ClientState, attempt: RelayAttempt, now: number, atCaptureEnd: boolean, reporter: FindingReporter): void {
    this.active.splice(this.active.indexOf(attempt), 1);
    const delivered = attempt.deliveryFrame > 0;
    let outcome: PunchOutcome = 'success';
    let missing: PunchStep | null = null;
    if (!delivered) {
      // At the end of the capture an attempt still inside its retry window may yet succeed.
      outcome = atCaptureEnd && now - attempt.lastTime < PUNCH_GIVE_UP_S ? 'pending' : 'failed';
      const step: PunchStep = attempt.relayKey < 0 ? 'relay-bubble' : attempt.clientBubbleFrames.length === 0 ? 'client-bubble' : 'relay-delivery';
      // A relay's bubble must cross the server, so only the steps after it can be out of sight.
      if (step !== 'relay-bubble' && client.directLegHidden()) outcome = 'unobservable';
      if (outcome !== 'pending') missing = step;
    }
    const frames = [...attempt.testFrames, ...attempt.relayBubbleFrames, ...attempt.clientBubbleFrames];
    if (delivered) frames.push(attempt.deliveryFrame);
    frames.sort((a, b) => a - b);
    const path: PunchPath = attempt.hostSpecific ? 'host-specific' : 'relay';
    if (attempt.relayKey >= 0) client.addRelay(attempt.relayKey, attempt.relayIpv6);
    client.addHolePunch({
      peer: attempt.peer,
      path,
      relayKey: attempt.relayKey,
      relayIpv6: attempt.relayIpv6,
      outcome,
      missingStep: missing,
      // Reordered packets give no latency, never a negative one.
      latencyMs: delivered && attempt.deliveryTime >= attempt.startTime ? Math.round((attempt.deliveryTime - attempt.startTime) * 1e6) / 1e3 : null,
      frames,
    });
    if (missing === null || outcome === 'unobservable') return;

    const target = attempt.peer !== null ? formatIpv6(attempt.peer) : 'an unknown native host';
    const relayText = attempt.relayKey >= 0 ? `relay ${formatEndpointKey(attempt.relayKey)}` : '';
    const roundText = roundNote(attempt, reporter);
    if (missing === 'relay-bubble') {
      reportFinding(reporter, client, 'missing-relay', () => ({
        frames,
        message: `Connectivity test to ${target} (${attempt.testFrames.length} echo request${attempt.testFrames.length === 1 ? '' : 's'} via the server${roundText}) was never answered through any relay: no relay toward that host, or it cannot reach the client`,
      }));
    } else {
      reportFinding(reporter, client, 'hole-punch-failed', () => ({
        frames,
        message: (roundText === '' ? '' : `Round ${attempt.round} toward ${target}${roundText}: `) + (missing === 'client-bubble'
          ? attempt.forwardedSeen
            ? `The server forwarded the bubble of ${relayText}, but the client never sent its bubble to it: no hole was punched toward ${target}`
            : `${relayText} sent its bubble toward the client via the server, but no bubble from the client reached the relay: the server did not forward it, or the client or its NAT dropped it`
          : `The client punched toward ${relayText} but the relay never delivered anything from ${target}: relay lost its queue or sits behind a restrictive NAT`),
      }));
    }
  }
}

/** ", try 2, abandoned when the client retried at frame 8" for a round the client gave up on; "" for a first round it did not retry. */
function roundNote(attempt: RelayAttempt, reporter: FindingReporter): string {
  const tryText = attempt.round > 1 ? `, try ${attempt.round}` : '';
  if (attempt.retryFrame === 0) return tryText;
  return `${tryText === '' ? ', try 1' : tryText}, abandoned when the client retried at frame ${reporter.frameText(attempt.retryFrame)}`;
}

function newAttempt(peer: Uint8Array | null, time: number): RelayAttempt {
  return {
    peer,
    startTime: time,
    lastTime: time,
    lastTestTime: Number.NaN,
    round: 1,
    retryFrame: 0,
    testFrames: [],
    relayKey: -1,
    relayIpv6: null,
    relayBubbleFrames: [],
    clientBubbleFrames: [],
    deliveryFrame: 0,
    deliveryTime: 0,
    hostSpecific: false,
    linkLocalOnly: true,
    toServerSeen: false,
    forwardedSeen: false,
  };
}

/** fe80::/10: Miredo's bubbles, relay's and client's alike. */
function isLinkLocal(address: Uint8Array): boolean {
  return address[0] === 0xfe && (address[1] & 0xc0) === 0x80;
}

function push(frames: number[], frame: number): void {
  if (frames.length < MAX_FINDING_FRAMES / 4) frames.push(frame);
}
