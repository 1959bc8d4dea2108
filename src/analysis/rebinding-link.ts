import { formatIpv4 } from '../decode/ip-address.js';
import type { TeredoPacket } from '../teredo/packet.js';
import type { ClientDirectory } from './client-directory.js';
import type { ClientState } from './client-state.js';
import { formatEndpointKey } from './endpoint.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';
import { REFRESH_MIN_GAP_S } from './protocol-timing.js';

/**
 * The longest gap between a client's last RS and its refresh: 30 s randomized, 15–45 s under
 * RFC 6081, plus slack for a late timer.
 */
const REFRESH_MAX_GAP_S = 50;
/** RFC 4380's refresh interval (Miredo keeps it exactly), expected when none was observed yet. */
const DEFAULT_REFRESH_S = 30;
/** When only timing links a new socket, the refresh must come this close to its due time. */
const TIMING_ONLY_TOLERANCE_S = 1.5;
/** The old socket must have been silent this long: a client in use sends data, not a lone RS. */
const MIN_SILENCE_S = 5;
/** Live clients looked at per unknown RS at most: the search must not grow with a server's crowd. */
const MAX_CANDIDATES_SCANNED = 256;
/** RFC 5991: the random bits of the Teredo flags (all but C, the reserved bit, U and G). */
const RANDOM_FLAG_BITS = 0x3cff;

/**
 * A client seen outside its NAT whose mapping changed while it was idle (NAT rebinding or
 * renumbering, RFC 4380 §5.2.5): the first packet on the new mapping was its maintenance RS, from a
 * socket the capture had never seen. What linked that RS to the client is kept for the finding.
 */
export class RebindingLink {
  readonly oldMapped: number;
  readonly oldMappedFrame: number;
  /** The old socket's last packet before it fell silent. */
  readonly oldLastFrame: number;
  readonly rsFrame: number;
  readonly newSocket: number;
  /** RFC 5991 random flag bits of the old Teredo address (-1: no address known). */
  readonly oldRandomFlags: number;
  readonly gapSeconds: number;
  readonly silentSeconds: number;
  readonly sameNonce: boolean;
  readonly samePublicIpv4: boolean;
  readonly samePort: boolean;
  /** The RA that answered the RS on the new mapping (0: none yet). */
  raFrame = 0;
  newMapped = -1;

  constructor(client: ClientState, packet: TeredoPacket, socket: number, time: number, gapSeconds: number, sameNonce: boolean) {
    this.oldMapped = client.mappedKey;
    this.oldMappedFrame = client.mappedFrame;
    this.oldLastFrame = client.lastFrame;
    this.rsFrame = packet.frame;
    this.newSocket = socket;
    const teredo = client.teredo();
    this.oldRandomFlags = teredo === null ? -1 : ((teredo[8] << 8) | teredo[9]) & RANDOM_FLAG_BITS;
    this.gapSeconds = gapSeconds;
    this.silentSeconds = time - client.lastSeen;
    this.sameNonce = sameNonce;
    this.samePublicIpv4 = Math.floor(socket / 65536) === Math.floor(client.mappedKey / 65536);
    this.samePort = socket % 65536 === client.mappedKey % 65536;
  }
}

/**
 * The live client that a Router Solicitation from a socket never seen before most likely comes from
 * after its NAT mapping changed, or null. Seen outside the NAT only (inside, the client's socket
 * stays the same). A candidate was qualified by the same server, its own socket has fallen silent,
 * its last RS was one refresh interval ago and used the same C flag (a maintenance RS repeats the
 * qualification's flag). One candidate must match on the wire too (a reused nonce; or the same
 * public IPv4, on time, where its silence is observable), or, failing that, exactly one must fit
 * by timing alone: its refresh due within TIMING_ONLY_TOLERANCE_S and its silence observable (the
 * capture showed more than its server leg). `silenceObservable` false (no client's traffic beyond
 * its server seen) leaves the reused nonce alone, looked up in the directory's index.
 */
export function findRebinding(directory: ClientDirectory, packet: TeredoPacket, socket: number, time: number, silenceObservable: boolean): ClientState | null {
  const nonce = packet.auth?.nonce ?? null;
  const src = packet.ipv6.src;
  const cone = src[0] === 0xfe && (src[1] & 0xc0) === 0x80 && (src[8] & 0x80) !== 0;
  const dstIp = packet.outer.dstIp;
  let client: ClientState | null = null;
  if (!silenceObservable) {
    // No client's silence is observable (a server's capture): only a reused nonce can link, and an index finds it among any crowd.
    const candidate = directory.withLatestNonce(nonceKey(nonce));
    if (candidate !== null && time - candidate.lastSeen >= MIN_SILENCE_S && refreshGap(candidate, dstIp, cone, time) >= 0 && candidate.qualification!.solicitedWith(nonce!)) client = candidate;
  } else {
    let timed: ClientState | null = null;
    let timedCount = 0;
    let wired: ClientState | null = null;
    let wiredCount = 0;
    let scanned = 0;
    // Least recently active first: candidates are silent, so they sit at the old end of the list.
    for (let candidate = directory.leastRecentlyActive(); candidate !== null && scanned < MAX_CANDIDATES_SCANNED; candidate = candidate.newer) {
      if (time - candidate.lastSeen < MIN_SILENCE_S) break;
      scanned++;
      const gap = refreshGap(candidate, dstIp, cone, time);
      if (gap < 0) continue;
      const interval = candidate.refreshIntervalSeconds ?? candidate.qualification!.observedRefreshSeconds ?? DEFAULT_REFRESH_S;
      const onTime = Math.abs(gap - interval) <= TIMING_ONLY_TOLERANCE_S;
      const sameIpv4 = Math.floor(socket / 65536) === Math.floor(candidate.mappedKey / 65536);
      // Silence means something only where the capture showed the client's traffic beyond its
      // server: at a server every client is silent between refreshes, and many share a NAT's IPv4.
      const silenceSeen = candidate.directLegSeen;
      if ((nonce !== null && nonce.length === 8 && candidate.qualification!.solicitedWith(nonce)) || (sameIpv4 && onTime && silenceSeen)) {
        wired = candidate;
        wiredCount++;
      }
      // Timing alone: the refresh right when due, and the old socket silent.
      if (onTime && silenceSeen) {
        timed = candidate;
        timedCount++;
      }
    }
    client = wiredCount === 1 ? wired : wiredCount === 0 && timedCount === 1 ? timed : null;
  }
  if (client === null) return null;
  const qualification = client.qualification!;
  const sameNonce = nonce !== null && nonce.length === 8 && qualification.solicitedWith(nonce);
  client.rebinding = new RebindingLink(client, packet, socket, time, time - qualification.lastSolicitationTime, sameNonce);
  return client;
}

/**
 * Seconds since the candidate's last RS when it could be a client whose maintenance RS (to the
 * server address `dstIp`, with the C flag `cone`) came from a new mapping; -1 when it cannot:
 * qualified by that server, seen outside its NAT, not linked already, and its refresh due.
 */
function refreshGap(candidate: ClientState, dstIp: number, cone: boolean, time: number): number {
  const qualification = candidate.qualification;
  if (qualification === null || candidate.vantage !== 'outside' || candidate.mappedKey < 0 || candidate.rebinding !== null) return -1;
  if (candidate.serverPrimary !== dstIp || qualification.raCount === 0) return -1;
  if (qualification.lastSolicitationCone !== cone) return -1;
  const gap = time - qualification.lastSolicitationTime;
  return gap >= REFRESH_MIN_GAP_S && gap <= REFRESH_MAX_GAP_S ? gap : -1;
}

/** The last six bytes of an RS nonce as one number (a NumberIndex key; a counter differs there), -1 without a nonce. */
export function nonceKey(nonce: Uint8Array | null): number {
  if (nonce === null || nonce.length !== 8) return -1;
  return ((nonce[2] << 8) | nonce[3]) * 4294967296 + (((nonce[4] << 24) | (nonce[5] << 16) | (nonce[6] << 8) | nonce[7]) >>> 0);
}

/**
 * Called at close-out: the mapping-changed finding of a client linked across a rebinding, with
 * what linked it. The client's new Teredo address is known by now, so its random flag bits can be
 * compared too. Only timing (with the port, which port-preserving NATs keep for everyone) makes it
 * "probable".
 */
export function concludeRebinding(client: ClientState, reporter: FindingReporter): void {
  const link = client.rebinding;
  if (link === null) return;
  client.rebinding = null;
  const teredo = client.teredo();
  const newFlags = teredo === null ? -1 : ((teredo[8] << 8) | teredo[9]) & RANDOM_FLAG_BITS;
  const sameFlags = link.oldRandomFlags > 0 && newFlags === link.oldRandomFlags && link.raFrame > 0;
  const wire: string[] = [];
  if (link.sameNonce) wire.push('the RS reuses the nonce of the previous one (Miredo)');
  if (link.samePublicIpv4) wire.push(`it comes from the same public IPv4 ${formatIpv4(Math.floor(link.oldMapped / 65536))}`);
  if (sameFlags) wire.push(`the new Teredo address keeps the RFC 5991 random flag bits 0x${newFlags.toString(16).padStart(4, '0')}`);
  const timing =
    `a maintenance RS (frame ${reporter.frameText(link.rsFrame)}) ${link.gapSeconds.toFixed(1)} s after the previous one, to the same server, ` +
    `from a new socket while ${formatEndpointKey(link.oldMapped)} had been silent for ${link.silentSeconds.toFixed(1)} s (last packet: frame ${reporter.frameText(link.oldLastFrame)})` +
    (link.samePort ? ', same port' : '');
  const newMapped = link.newMapped >= 0 ? link.newMapped : link.newSocket;
  const frames = [link.oldMappedFrame, link.oldLastFrame, link.rsFrame, link.raFrame].filter((f) => f > 0);
  const linked = wire.length > 0
    ? `Linked by what is on the wire: ${wire.join('; ')}; and by the timing: ${timing}`
    : `Probably the same client: only the timing links them (${timing}); new nonce, ${link.samePublicIpv4 ? '' : 'another public address, '}no shared random flag bits`;
  reportFinding(reporter, client, 'mapping-changed', () => ({
    frames: [...new Set(frames)].sort((a, b) => a - b),
    message:
      `${wire.length > 0 ? '' : 'Probable '}NAT rebinding: the mapped address changed from ${formatEndpointKey(link.oldMapped)} (frame ${reporter.frameText(link.oldMappedFrame)}) ` +
      `to ${formatEndpointKey(newMapped)}${link.raFrame > 0 ? ` (frame ${reporter.frameText(link.raFrame)})` : ''} while the client was idle; the Teredo address must change (RFC 4380 §5.2.5). ${linked}`,
  }));
}
