import { formatIpv4, readIpv4 } from '../decode/ip-address.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { isTeredoAddress } from '../teredo/teredo-address.js';
import type { ClientState } from './client-state.js';
import { endpointKey, formatEndpointKey } from './endpoint.js';
import { reportFinding, type FindingReporter } from './finding-reporter.js';
import { classifyQualification } from './nat-classification.js';
import { QUALIFICATION_RETRIES, REFRESH_MIN_GAP_S } from './protocol-timing.js';
import { NO_MATCH, NO_SOLICITATIONS, SolicitationHistory } from './solicitation-history.js';

/** RS frames kept as evidence for an off-line finding. */
const MAX_UNANSWERED_FRAMES = 16;

/** An accepted Router Advertisement: when, and the mapping its origin indication reported (-1: none). */
export interface RaRecord {
  frame: number;
  time: number;
  mapped: number;
}

/**
 * RS/RA bookkeeping of one client (RFC 4380 §5.2.1, §5.2.2, §5.2.5): pairs RAs with RSs by nonce,
 * and remembers the evidence `classifyQualification` needs — the RA to a cone-flagged RS, the RA
 * from the primary address to a plain RS, the RA from the secondary address, and on which
 * endpoint each probe left.
 */
export class Qualification {
  private readonly recent = new SolicitationHistory();
  firstRsTime = Number.NaN;
  firstRsFrame = 0;
  /** RS frames since the last matched RA (null: none, as after every RA; most clients are there). */
  unansweredFrames: number[] | null = null;
  /** RSs since the last matched RA, all of them (the frames above are only the first MAX_UNANSWERED_FRAMES). */
  unansweredCount = 0;
  /** Plain (C = 0) RSs since the last matched RA: three of them unanswered mean off-line. */
  unansweredPlain = 0;
  raCount = 0;
  /** The last accepted RA, kept as two numbers: an RaRecord replaced at every refresh was garbage that outlived the young generation. */
  lastRaFrame = 0;
  lastRaTime = Number.NaN;

  /** First RA answering a cone-flagged RS, and the first sign that it never reached the client. */
  coneRa: RaRecord | null = null;
  coneFilteredFrame = 0;
  /** First RA from the primary address to a plain RS, and first RA from the secondary one. */
  primaryRa: RaRecord | null = null;
  secondaryRa: RaRecord | null = null;
  /** RS to the primary, and the same probe to the secondary leaving from another socket (outside view of a symmetric NAT). */
  private lastPrimaryRsFrame = 0;
  private lastPrimaryRsEndpoint = -1;
  symmetricRsFrames: number[] | null = null;

  /**
   * RAs the client evidently never got: it solicited the same server again within seconds of an
   * RA that answered it (frames: that RA and the retry; only seen outside the NAT or at the server).
   */
  ignoredRaFrames: number[] | null = null;
  /** The last accepted RA was followed by such a retry. */
  retriedAfterLastRa = false;
  /** RSs to the secondary address since the last RA from it, and their frames (§5.2.1 step 5). */
  unansweredSecondary = 0;
  secondaryRsFrames: number[] | null = null;

  rttSumMs = 0;
  rttCount = 0;
  private lastRsTime = Number.NaN;
  refreshSum = 0;
  refreshCount = 0;

  /** Capture time of the client's last RS (NaN: none). */
  get lastSolicitationTime(): number {
    return this.lastRsTime;
  }

  /** Whether the client's last RS claimed a cone NAT (C = 1). */
  get lastSolicitationCone(): boolean {
    return this.recent.count > 0 && this.recent.isCone(this.recent.count - 1);
  }

  /** The mean gap between refreshes seen so far (null: none yet). */
  get observedRefreshSeconds(): number | null {
    return this.refreshCount > 0 ? this.refreshSum / this.refreshCount : null;
  }

  /** Whether one of the client's recent RSs carried this nonce. */
  solicitedWith(nonce: Uint8Array): boolean {
    return this.recent.match(nonce) >= 0;
  }

  onSolicitation(client: ClientState, packet: TeredoPacket, time: number, toSecondary: boolean): void {
    const src = packet.ipv6.src;
    const cone = src[0] === 0xfe && (src[1] & 0xc0) === 0x80 && (src[8] & 0x80) !== 0;
    const endpoint = endpointKey(packet.outer.srcIp, packet.outer.srcPort);
    if (this.recent.count === 0 && Number.isNaN(this.firstRsTime)) {
      this.firstRsTime = time;
      this.firstRsFrame = packet.frame;
    }
    if (this.raCount > 0 && !Number.isNaN(this.lastRsTime) && time - this.lastRsTime >= REFRESH_MIN_GAP_S) {
      this.refreshSum += time - this.lastRsTime;
      this.refreshCount++;
    }
    this.lastRsTime = time;

    // A client that got the cone RA does not fall back to C = 0 nor retry soon: if it does, the RA
    // was dropped by its NAT (only visible in a capture taken outside the NAT).
    if (this.coneRa !== null && this.coneFilteredFrame === 0 && (!cone || time - this.coneRa.time < REFRESH_MIN_GAP_S)) {
      this.coneFilteredFrame = packet.frame;
    }
    if (!toSecondary && !cone && this.raCount > 0 && time - this.lastRaTime < REFRESH_MIN_GAP_S) {
      // Answered, yet soliciting again long before any refresh is due: that RA never arrived.
      if (this.ignoredRaFrames === null) this.ignoredRaFrames = [this.lastRaFrame, packet.frame];
      else if (this.ignoredRaFrames.length < MAX_UNANSWERED_FRAMES) this.ignoredRaFrames.push(this.lastRaFrame, packet.frame);
      this.retriedAfterLastRa = true;
    }
    if (toSecondary) {
      this.unansweredSecondary++;
      // A literal, not [] then push: every Windows client probes the secondary, and push gives room for 17.
      if (this.secondaryRsFrames === null) this.secondaryRsFrames = [packet.frame];
      else if (this.secondaryRsFrames.length < MAX_UNANSWERED_FRAMES) this.secondaryRsFrames.push(packet.frame);
      if (this.lastPrimaryRsEndpoint >= 0 && endpoint !== this.lastPrimaryRsEndpoint && this.symmetricRsFrames === null) {
        this.symmetricRsFrames = [this.lastPrimaryRsFrame, packet.frame];
      }
    } else {
      this.lastPrimaryRsFrame = packet.frame;
      this.lastPrimaryRsEndpoint = endpoint;
    }

    this.recent.add(packet.frame, time, authNonce(packet), cone);
    this.unansweredCount++;
    if (this.unansweredFrames === null) this.unansweredFrames = [packet.frame];
    else if (this.unansweredFrames.length < MAX_UNANSWERED_FRAMES) this.unansweredFrames.push(packet.frame);
    if (!cone) this.unansweredPlain++;
  }

  /** Returns false when the RA was rejected (its nonce answers no RS of this client). */
  onAdvertisement(client: ClientState, packet: TeredoPacket, time: number, reporter: FindingReporter, pairServer: (secondary: number, primary: number) => void): boolean {
    const rs = this.recent.match(authNonce(packet));
    if (rs === NO_MATCH) {
      const recent = this.recent.count;
      const last = this.recent.frame(recent - 1);
      reportFinding(reporter, client, 'nonce-mismatch', () => ({
        frames: [last, packet.frame],
        message: `Router Advertisement from ${formatIpv4(packet.outer.srcIp)} carries nonce ${nonceText(packet)}, which answers none of the client's ${recent} recent Router Solicitations (last: frame ${reporter.frameText(last)}); a spoofed or stale RA that a client must discard`,
      }));
      return false;
    }

    const raSource = packet.outer.srcIp;
    const primary = prefixServer(packet) ?? (client.serverPrimary !== 0 ? client.serverPrimary : raSource);
    client.serverPrimary = primary;
    if (raSource !== primary) {
      client.serverSecondary = raSource;
      pairServer(raSource, primary);
    }

    const mapped = packet.origin !== null
      ? endpointKey(packet.origin.address, packet.origin.port)
      : client.vantage === 'outside' ? endpointKey(packet.outer.dstIp, packet.outer.dstPort) : -1;
    if (packet.origin !== null && mapped !== endpointKey(packet.outer.dstIp, packet.outer.dstPort)) client.vantage = 'inside';

    const matched = rs !== NO_SOLICITATIONS;
    const cone = matched && this.recent.isCone(rs);
    if (matched) {
      // An RA stamped before its RS (reordered packets) gives no round trip, never a negative one.
      if (!this.recent.isAnswered(rs) && time >= this.recent.time(rs)) {
        this.rttSumMs += (time - this.recent.time(rs)) * 1000;
        this.rttCount++;
      }
      this.recent.markAnswered(rs);
    }
    this.raCount++;
    this.retriedAfterLastRa = false;
    if (raSource !== primary) {
      this.unansweredSecondary = 0;
      this.secondaryRsFrames = null;
    }
    this.lastRaFrame = packet.frame;
    this.lastRaTime = time;
    this.unansweredFrames = null;
    this.unansweredCount = 0;
    this.unansweredPlain = 0;

    const establishesMapping = !matched || cone || raSource === primary;
    if (cone) this.coneRa ??= { frame: packet.frame, time, mapped };
    else if (matched && raSource === primary) this.primaryRa ??= { frame: packet.frame, time, mapped };
    else if (matched) this.secondaryRa ??= { frame: packet.frame, time, mapped };

    if (establishesMapping && mapped >= 0) {
      const rebinding = client.rebinding;
      if (rebinding !== null && rebinding.raFrame === 0 && matched && endpointKey(packet.outer.dstIp, packet.outer.dstPort) === rebinding.newSocket) {
        // The RA to the RS that linked a rebinding: reported at close-out with what linked them.
        rebinding.raFrame = packet.frame;
        rebinding.newMapped = mapped;
      } else if (client.mappedKey >= 0 && client.mappedKey !== mapped) {
        reportFinding(reporter, client, 'mapping-changed', () => ({
          frames: [client.mappedFrame, packet.frame],
          message: `Mapped address changed from ${formatEndpointKey(client.mappedKey)} (frame ${reporter.frameText(client.mappedFrame)}) to ${formatEndpointKey(mapped)}: NAT rebinding, the Teredo address must change (RFC 4380 §5.2.5)`,
        }));
      }
      client.mappedKey = mapped;
      client.mappedFrame = packet.frame;
    }
    return true;
  }

  /** Writes the verdict into the client and reports off-line and symmetric NATs. */
  close(client: ClientState, reporter: FindingReporter): void {
    const verdict = classifyQualification(this, client.vantage, client.usedTeredoSource, reporter.frameText);
    // The last answer ignored too, or two ignored before it: one RA lost by chance is not a filter.
    const ignored = this.ignoredRaFrames === null ? 0 : this.ignoredRaFrames.length / 2;
    const raFiltered = (this.retriedAfterLastRa ? ignored >= 1 : ignored >= 2) && !client.usedTeredoSource && verdict.natType === 'unknown';
    // An RFC 4380 client is qualified only once the secondary address answered its probe (§5.2.1 step 5).
    const secondaryOpen = this.primaryRa !== null && this.secondaryRa === null && this.unansweredSecondary > 0 && !client.usedTeredoSource && verdict.natType === 'unknown';
    if (raFiltered || secondaryOpen) {
      verdict.qualified = false;
      verdict.qualificationMs = null;
    }
    if (verdict.natType !== 'unknown' || client.natType === 'unknown') client.natType = verdict.natType;
    if (verdict.natType !== 'unknown') client.qualified = verdict.qualified;
    else client.qualified ||= verdict.qualified;
    if (verdict.qualificationMs !== null) client.qualificationMs = verdict.qualificationMs;
    if (this.rttCount > 0) client.rsRaRoundTripMs = this.rttSumMs / this.rttCount;
    if (this.refreshCount > 0) client.refreshIntervalSeconds = this.refreshSum / this.refreshCount;

    const server = client.serverPrimary !== 0 ? formatIpv4(client.serverPrimary) : 'the server';
    const unanswered = this.unansweredFrames ?? [];
    if (verdict.natType === 'offline') {
      reportFinding(reporter, client, 'offline', () => ({
        frames: unanswered,
        message: `${this.unansweredCount} Router Solicitations to ${server} got no Router Advertisement: UDP 3544 blocked, or the server is down or unreachable (RFC 4380 §5.2.1)${sampledNote(this.unansweredCount, unanswered.length)}`,
      }));
    } else if (this.raCount > 0 && unanswered.length >= QUALIFICATION_RETRIES && !secondaryOpen) {
      reportFinding(reporter, client, 'offline', () => ({
        severity: 'warning',
        frames: unanswered,
        message: `Lost contact with ${server}: ${this.unansweredCount} Router Solicitations after frame ${reporter.frameText(this.lastRaFrame)} were not answered${sampledNote(this.unansweredCount, unanswered.length)}`,
      }));
    }
    if (raFiltered) {
      const pairs = this.ignoredRaFrames ?? [];
      const frames = [...pairs].sort((a, b) => a - b);
      reportFinding(reporter, client, 'ra-filtered', () => ({
        severity: 'error',
        frames,
        message: `${server} answered the client's Router Solicitations (RA frame ${reporter.frameText(pairs[0])}), but the client solicited again within seconds of ${pairs.length > 2 ? 'each answer' : 'the answer'} (frame ${reporter.frameText(pairs[1])}): the RAs never reached it. Its NAT or firewall drops UDP from port 3544 inbound; the client is not qualified`,
      }));
    } else if (secondaryOpen && this.unansweredSecondary >= QUALIFICATION_RETRIES) {
      const frames = this.secondaryRsFrames ?? [];
      reportFinding(reporter, client, 'secondary-unanswered', () => ({
        severity: 'error',
        frames,
        message: `The primary address answered, but ${this.unansweredSecondary} Router Solicitations to the secondary address ${client.serverSecondary !== 0 ? formatIpv4(client.serverSecondary) : ''} got no answer: the client cannot tell its NAT type and Teredo is unusable (RFC 4380 §5.2.1); not qualified`,
      }));
    }
    if (verdict.natType === 'symmetric') {
      reportFinding(reporter, client, 'symmetric-nat', () => ({
        severity: verdict.qualified ? 'warning' : 'error',
        frames: verdict.evidenceFrames,
        message: verdict.qualified
          ? `Symmetric NAT: ${verdict.evidence}. The client kept its Teredo address (RFC 6081 symmetric NAT support), but peers behind restrictive NATs cannot reach it`
          : `Symmetric NAT: ${verdict.evidence}. An RFC 4380 client gives up; Teredo is unusable behind this NAT`,
      }));
    }
  }
}

/** Counts are of events; the frames a finding lists are the first few of them, and it says so. */
export function sampledNote(total: number, listed: number): string {
  return total > listed ? ` (the first ${listed} of their frames are listed)` : '';
}

/** Server primary IPv4 from the RA's Teredo prefix (bytes 4–7 of `2001:0:<server>::/64`). */
function prefixServer(packet: TeredoPacket): number | null {
  const prefix = packet.icmp?.routerAdvertisement?.prefixes[0]?.prefix;
  if (prefix === undefined || !isTeredoAddress(prefix)) return null;
  return readIpv4(prefix, 4);
}

/** The nonce of the authentication header, when there is one of the right size (RFC 4380 §5.1.1). */
function authNonce(packet: TeredoPacket): Uint8Array | null {
  const nonce = packet.auth?.nonce;
  return nonce !== undefined && nonce.length === 8 ? nonce : null;
}

function nonceText(packet: TeredoPacket): string {
  const nonce = packet.auth?.nonce;
  if (nonce === undefined) return '(none)';
  return Array.from(nonce, (b) => b.toString(16).padStart(2, '0')).join('');
}
