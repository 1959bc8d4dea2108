import { formatIpv4, formatIpv6, parseIpv4 } from '../decode/ip-address.js';
import type { ReportClient } from '../report/report.js';
import { REFRESH_MIN_GAP_S } from '../analysis/protocol-timing.js';
import { TEREDO_PORT } from '../teredo/constants.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { isTeredoAddress, TEREDO_FLAG_CONE } from '../teredo/teredo-address.js';
import { LadderParties, socketKey } from './ladder-parties.js';
import type { ClientLadder, LadderStep, StepFailure, StepPhase } from './ladder-step.js';
import { protocolName } from './protocol-name.js';
import { echoKey, MAX_PENDING, nonceOf, remember } from './request-keys.js';


interface DataRun {
  step: number;
  /** The two parties, the smaller index first. */
  pair: number;
  protocol: string;
}

/**
 * The steps of one client, built packet by packet. Only what the next packets may refer to is
 * kept besides the steps: open requests (RS nonces, connectivity tests), the peers a hole punch
 * waits for, and the open data run.
 */
export class ClientLadderState {
  readonly client: ReportClient;
  private readonly parties: LadderParties;
  private readonly steps: LadderStep[] = [];
  private readonly maxSteps: number;
  private omitted = 0;
  private readonly primary: number | null;
  private readonly secondary: number | null;
  private readonly relays = new Map<number, string | null>();
  private qualified = false;
  private lastRsTime: number | null = null;
  /** The client's last RS (cone flag, server) and the step of the RA that answered it, if any. */
  private lastRs: { cone: boolean; server: number; answer: number | null } | null = null;
  private readonly pendingRs = new Map<string, number>();
  private readonly pendingTests = new Map<string, number>();
  /** Steps that never came (from the report's hole punches), placed after the frame given. */
  private readonly missing: { after: number; step: LadderStep }[] = [];
  private readonly awaitingDelivery = new Set<string>();
  private run: DataRun | null = null;
  /** The client's first endpoint (its id) and mapped socket, as socket keys (-1: none). */
  private readonly usualSocket: number;
  private readonly mappedSocket: number;
  /** Remote socket of the data run being counted (not drawn) past the step limit. */
  private omittedRunParty: number | null = null;

  constructor(client: ReportClient, maxSteps: number) {
    this.client = client;
    this.maxSteps = maxSteps;
    this.parties = new LadderParties(client);
    this.primary = client.server.primary !== null ? parseIpv4(client.server.primary) : null;
    this.secondary = client.server.secondary !== null ? parseIpv4(client.server.secondary) : null;
    const first = client.endpoints[0];
    const firstIp = first !== undefined ? parseIpv4(first.address) : null;
    this.usualSocket = first !== undefined && firstIp !== null ? socketKey(firstIp, first.port) : -1;
    const mappedIp = client.mapped !== null ? parseIpv4(client.mapped.address) : null;
    this.mappedSocket = client.mapped !== null && mappedIp !== null ? socketKey(mappedIp, client.mapped.port) : -1;
    for (const relay of client.relays) {
      const address = parseIpv4(relay.address);
      if (address !== null) this.relays.set(socketKey(address, relay.port), relay.ipv6);
    }
  }

  /** A packet the client sent (`outbound`) or received; `time` in seconds since the timeline began. */
  add(packet: TeredoPacket, outbound: boolean, time: number): void {
    const { outer } = packet;
    const remoteIp = outbound ? outer.dstIp : outer.srcIp;
    const remotePort = outbound ? outer.dstPort : outer.srcPort;
    // Columns are made only for steps that are drawn: past the step limit a client talking to
    // many peers must not grow a column per peer.
    const remote = (): number => this.remoteParty(packet, remoteIp, remotePort, outbound);
    const server = remotePort === TEREDO_PORT && this.isServer(remoteIp);
    const via = outbound ? this.otherSocket(outer.srcIp, outer.srcPort) : '';
    const here = (phase: StepPhase, label: string): number => this.push(packet.frame, time, phase, outbound, remote, label + via);
    switch (packet.kind) {
      case 'router-solicitation': {
        const nonce = nonceOf(packet);
        const cone = ((packet.ipv6.src[8] << 8) | packet.ipv6.src[9]) & TEREDO_FLAG_CONE;
        const refresh = this.qualified && this.lastRsTime !== null && time - this.lastRsTime > REFRESH_MIN_GAP_S;
        if (outbound) {
          this.judgeRetry(cone !== 0, remoteIp, time);
          this.lastRsTime = time;
        }
        const what = refresh ? 'maintenance RS' : cone !== 0 ? 'RS cone probe' : 'RS';
        const step = here(refresh ? 'maintenance' : 'qualification', `${what} to ${this.serverName(remoteIp)}${nonce !== '' ? `, nonce ${nonce}` : ''}`);
        if (outbound && step >= 0 && nonce !== '') remember(this.pendingRs, nonce, step);
        if (outbound) this.lastRs = { cone: cone !== 0, server: remoteIp, answer: null };
        return;
      }
      case 'router-advertisement': {
        const nonce = nonceOf(packet);
        const origin = packet.origin !== null ? ` + origin ${formatIpv4(packet.origin.address)}:${packet.origin.port}` : '';
        const rs = this.pendingRs.get(nonce);
        const phase = rs !== undefined ? this.steps[rs].phase : 'qualification';
        const unmatched = rs === undefined && !outbound ? ' (no RS with this nonce)' : '';
        const ra = here(phase, `RA from ${this.serverName(remoteIp)}${origin}${nonce !== '' ? `, nonce ${nonce}` : ''}${unmatched}`);
        if (rs !== undefined && this.lastRs !== null && ra >= 0) this.lastRs.answer = ra;
        this.pendingRs.delete(nonce);
        if (!outbound) this.qualified = true;
        return;
      }
      case 'bubble':
        here('hole punch', this.bubbleLabel(packet, outbound, remotePort === TEREDO_PORT, remoteIp, remotePort));
        return;
      case 'echo-request':
        if (outbound && server) {
          const peer = formatIpv6(packet.ipv6.dst);
          const step = here('hole punch', `connectivity test: echo request to ${peer} via server`);
          if (step >= 0) remember(this.pendingTests, echoKey(peer, packet), step);
          if (this.awaitingDelivery.size >= MAX_PENDING) this.awaitingDelivery.delete(this.awaitingDelivery.values().next().value ?? peer);
          this.awaitingDelivery.add(peer);
          return;
        }
        break;
      case 'echo-reply':
        if (!outbound) this.pendingTests.delete(echoKey(formatIpv6(packet.ipv6.src), packet));
        break;
      default:
    }
    const source = !outbound && this.awaitingDelivery.size > 0 ? formatIpv6(packet.ipv6.src) : '';
    if (source !== '' && this.awaitingDelivery.delete(source)) {
      const how = this.relays.has(socketKey(remoteIp, remotePort)) ? 'relay delivery' : 'delivery';
      here('hole punch', `${how}: ${packet.kind === 'echo-reply' ? 'echo reply' : 'data'} from ${source}`);
      return;
    }
    this.addData(packet, outbound, time, socketKey(remoteIp, remotePort), remote);
  }

  /** The finished ladder: open requests judged, parties in display order. */
  finish(): ClientLadder {
    const inside = this.client.vantage === 'inside';
    for (const step of this.pendingRs.values()) {
      const s = this.steps[step];
      if (inside && s.label.startsWith('RS cone probe')) {
        this.fail(step, 'unobservable', 'no RA reached the client; a NAT that is not cone drops the RA from the secondary address before this vantage');
      } else {
        this.fail(step, 'unanswered', 'no RA with this nonce');
      }
    }
    for (const step of this.pendingTests.values()) this.fail(step, 'unanswered', 'no echo reply');
    // Spliced in last: open requests are known by their index among the steps.
    for (const { after, step } of this.missing) {
      let index = this.steps.findIndex((s) => s.frame === after);
      if (index < 0) index = this.steps.length - 1;
      this.steps.splice(index + 1, 0, { ...step, time: this.steps[index]?.time ?? 0 });
    }
    this.missing.length = 0;
    const { parties, indexMap } = this.parties.ordered();
    const steps = this.steps.map((step) => ({ ...step, from: indexMap[step.from], to: indexMap[step.to] }));
    return { client: this.client.id, parties, steps, omittedSteps: this.omitted };
  }

  /** Adds a step for something expected that never came, after the step of frame `after`. */
  addMissing(after: number, phase: StepPhase, from: number, to: number, label: string, failure: StepFailure, note: string): void {
    this.missing.push({ after, step: { frame: null, lastFrame: null, time: 0, phase, from, to, label, count: 1, bothWays: false, failure, failureNote: note } });
  }

  /**
   * The same RS again within the retry interval although an RA answered the previous one: that
   * RA never reached the client, as happens to the cone probe's answer behind a NAT that is not
   * cone when the capture is taken outside it.
   */
  private judgeRetry(cone: boolean, server: number, time: number): void {
    const last = this.lastRs;
    // After an answered cone probe a cone client is done: any RS soon after means it never got the answer.
    if (last === null || last.answer === null || (!last.cone && (cone || last.server !== server))) return;
    if (this.lastRsTime === null || time - this.lastRsTime > REFRESH_MIN_GAP_S) return;
    const note = last.cone
      ? 'the client sent another RS: this RA did not reach it (a NAT that is not cone drops an RA from the other server address)'
      : 'the client sent the same RS again: this RA did not reach it';
    this.fail(last.answer, 'lost', note);
  }

  /** Party index of the primary server address (the column is added if no step named it). */
  primaryParty(): number {
    const ip = this.primary;
    if (ip === null) return 0;
    return this.parties.party('primary', () => ({ role: 'server-primary', title: 'primary', address: formatIpv4(ip), detail: '' }));
  }

  /** Party index of a relay (or of a new column for it) by socket text. */
  relayParty(address: string, port: number): number {
    const ip = parseIpv4(address);
    return ip === null ? 0 : this.socketParty(ip, port, 'relay');
  }

  private remoteParty(packet: TeredoPacket, ip: number, port: number, outbound: boolean): number {
    if (port === TEREDO_PORT && ip === this.primary) return this.parties.party('primary', () => ({ role: 'server-primary', title: 'primary', address: formatIpv4(ip), detail: '' }));
    if (port === TEREDO_PORT && ip === this.secondary) return this.parties.party('secondary', () => ({ role: 'server-secondary', title: 'secondary', address: formatIpv4(ip), detail: '' }));
    if (port === TEREDO_PORT) return this.parties.party(`server ${ip}`, () => ({ role: 'other', title: 'server', address: formatIpv4(ip), detail: '' }));
    const party = this.socketParty(ip, port, this.relays.has(socketKey(ip, port)) ? 'relay' : 'peer');
    const inner = outbound ? packet.ipv6.dst : packet.ipv6.src;
    if (isTeredoAddress(inner)) this.parties.setDetail(party, formatIpv6(inner));
    return party;
  }

  private socketParty(ip: number, port: number, role: 'relay' | 'peer'): number {
    const key = socketKey(ip, port);
    return this.parties.party(`socket ${key}`, () => ({ role, title: role, address: `${formatIpv4(ip)}:${port}`, detail: role === 'relay' ? (this.relays.get(key) ?? '') : '' }));
  }

  /** ` (sent from a:p)` when the client sent from a socket other than its usual one (a symmetric NAT's other mapping). */
  private otherSocket(ip: number, port: number): string {
    const key = socketKey(ip, port);
    return key === this.usualSocket || key === this.mappedSocket ? '' : ` (sent from ${formatIpv4(ip)}:${port})`;
  }

  private isServer(ip: number): boolean {
    return ip === this.primary || ip === this.secondary || this.primary === null;
  }

  private serverName(ip: number): string {
    const which = ip === this.primary ? 'primary ' : ip === this.secondary ? 'secondary ' : 'server ';
    return `${which}${formatIpv4(ip)}`;
  }

  private bubbleLabel(packet: TeredoPacket, outbound: boolean, server: boolean, ip: number, port: number): string {
    if (outbound) {
      const peer = formatIpv6(packet.ipv6.dst);
      if (server) return `indirect bubble via ${this.serverName(ip)} for ${peer}`;
      const role = this.relays.has(socketKey(ip, port)) ? 'relay' : 'peer';
      return `client bubble to ${role} ${formatIpv4(ip)}:${port}`;
    }
    if (server && packet.origin !== null) {
      const origin = socketKey(packet.origin.address, packet.origin.port);
      const role = this.relays.has(origin) ? 'relay' : 'peer';
      return `${role} bubble via server, origin ${formatIpv4(packet.origin.address)}:${packet.origin.port}`;
    }
    const role = this.relays.has(socketKey(ip, port)) ? 'relay' : 'peer';
    return `bubble from ${role} ${formatIpv4(ip)}:${port}`;
  }

  /** `pair`: the remote socket, which a data run keeps. */
  private addData(packet: TeredoPacket, outbound: boolean, time: number, pair: number, remote: () => number): void {
    const protocol = packet.kind === 'data' ? protocolName(packet.data?.protocol ?? packet.ipv6.nextHeader) : packet.kind.startsWith('echo') ? 'ICMPv6 echo' : packet.kind;
    const run = this.run;
    if (run !== null && run.pair === pair && run.step === this.steps.length - 1) {
      const step = this.steps[run.step];
      step.count += 1;
      step.lastFrame = packet.frame;
      if ((step.from === 0) !== outbound) step.bothWays = true;
      if (run.protocol !== protocol) run.protocol = 'mixed';
      step.label = dataLabel(step.count, run.protocol);
      return;
    }
    if (this.steps.length >= this.maxSteps) {
      // Past the limit a data run still counts as one step left out.
      if (this.omittedRunParty !== pair) this.omitted += 1;
      this.omittedRunParty = pair;
      return;
    }
    const step = this.push(packet.frame, time, 'data', outbound, remote, dataLabel(1, protocol));
    this.run = step >= 0 ? { step, pair, protocol } : null;
  }

  private push(frame: number, time: number, phase: StepPhase, outbound: boolean, remote: () => number, label: string): number {
    this.omittedRunParty = null;
    if (this.steps.length >= this.maxSteps) {
      this.omitted += 1;
      return -1;
    }
    const party = remote();
    const from = outbound ? 0 : party;
    const to = outbound ? party : 0;
    this.steps.push({ frame, lastFrame: frame, time, phase, from, to, label, count: 1, bothWays: false, failure: null, failureNote: '' });
    return this.steps.length - 1;
  }

  private fail(index: number, failure: StepFailure, note: string): void {
    const step = this.steps[index];
    if (step !== undefined && step.failure === null) {
      step.failure = failure;
      step.failureNote = note;
    }
  }
}

function dataLabel(count: number, protocol: string): string {
  return count === 1 ? `data (${protocol})` : `${count} data packets (${protocol})`;
}
