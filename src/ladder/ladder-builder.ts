import { frameReference } from '../analysis/frame-reference.js';
import { timestampSeconds } from '../capture/timestamp.js';
import { parseIpv4 } from '../decode/ip-address.js';
import type { PunchStep } from '../analysis/client-summary.js';
import type { ReportClient, ReportHolePunch } from '../report/report.js';
import type { TeredoPacket } from '../teredo/packet.js';
import { ClientLadderState } from './client-ladder-state.js';
import { socketKey } from './ladder-parties.js';
import type { ClientLadder } from './ladder-step.js';

export interface LadderBuilderOptions {
  /** Steps kept per client; the rest are counted (default 400). */
  maxStepsPerClient?: number;
  /** Clients followed; later ones get no ladder (default 200). */
  maxClients?: number;
}

export const DEFAULT_MAX_LADDER_STEPS = 400;
export const DEFAULT_MAX_LADDER_CLIENTS = 200;

/**
 * The step classifier, run like a Wireshark tap after the analysis: given the report's clients
 * (their sockets, mapping, servers, relays) and the same capture's Teredo packets again, it names
 * each packet that is a step of qualification, relay discovery or hole punching, collapses data
 * runs, and marks what failed. Memory: steps of the followed clients only, at most
 * maxStepsPerClient each, plus a few open requests per client.
 *
 * Frames are taken as the packets carry them (frame references when several captures are read as
 * one timeline, see analysis/frame-reference.ts).
 */
export class LadderBuilder {
  private readonly states: ClientLadderState[] = [];
  /** Socket → client: endpoints first, then mapped sockets no endpoint claims. */
  private readonly bySocket = new Map<number, ClientLadderState>();
  private readonly severalCaptures: boolean;
  private start: number | null = null;
  /** Clients left out past maxClients. */
  readonly omittedClients: number;

  constructor(clients: Iterable<ReportClient>, options: LadderBuilderOptions & { severalCaptures?: boolean } = {}) {
    const maxSteps = options.maxStepsPerClient ?? DEFAULT_MAX_LADDER_STEPS;
    const maxClients = options.maxClients ?? DEFAULT_MAX_LADDER_CLIENTS;
    this.severalCaptures = options.severalCaptures === true;
    let omitted = 0;
    for (const client of clients) {
      if (this.states.length >= maxClients) {
        omitted += 1;
        continue;
      }
      this.states.push(new ClientLadderState(client, maxSteps));
    }
    this.omittedClients = omitted;
    for (const state of this.states) for (const endpoint of state.client.endpoints) this.claim(endpoint.address, endpoint.port, state);
    for (const state of this.states) if (state.client.mapped !== null) this.claim(state.client.mapped.address, state.client.mapped.port, state);
  }

  /** Every Teredo packet of the timeline, in order (a reused packet is fine: nothing of it is kept). */
  add(packet: TeredoPacket): void {
    const seconds = timestampSeconds(packet.time);
    this.start ??= seconds;
    const time = seconds - this.start;
    const { outer } = packet;
    const sender = this.bySocket.get(socketKey(outer.srcIp, outer.srcPort));
    const receiver = this.bySocket.get(socketKey(outer.dstIp, outer.dstPort));
    sender?.add(packet, true, time);
    if (receiver !== undefined && receiver !== sender) receiver.add(packet, false, time);
  }

  /** One ladder per followed client, in report order. */
  finish(): ClientLadder[] {
    return this.states.map((state) => {
      for (const punch of state.client.holePunches) this.addMissingStep(state, punch);
      return state.finish();
    });
  }

  private claim(address: string, port: number, state: ClientLadderState): void {
    const ip = parseIpv4(address);
    if (ip === null) return;
    const key = socketKey(ip, port);
    if (!this.bySocket.has(key)) this.bySocket.set(key, state);
  }

  private addMissingStep(state: ClientLadderState, punch: ReportHolePunch): void {
    if (punch.outcome !== 'failed' || punch.missingStep === null) return;
    const frames = this.severalCaptures && punch.locations !== undefined ? punch.locations.flatMap((l) => l.frames.map((f) => frameReference(l.capture, f))) : punch.frames;
    const last = frames.length > 0 ? Math.max(...frames) : -1;
    // Without a relay, what never came would have come through the server.
    const relay = punch.relay !== null ? state.relayParty(punch.relay.address, punch.relay.port) : state.primaryParty();
    const peer = punch.peer ?? 'the peer';
    const missing = MISSING[punch.missingStep];
    const [from, to] = missing.towardClient ? [relay, 0] : [0, relay];
    state.addMissing(last, 'hole punch', from, to, `${missing.label} ${peer}`, missing.failure, missing.note);
  }
}

const MISSING: Readonly<Record<PunchStep, { label: string; towardClient: boolean; failure: 'lost' | 'unanswered'; note: string }>> = {
  'relay-bubble': { label: 'no relay bubble via server for', towardClient: true, failure: 'lost', note: 'the server relayed no bubble: relay or server never answered' },
  'client-bubble': { label: 'no client bubble to the relay of', towardClient: false, failure: 'lost', note: 'the client never opened its NAT towards the relay' },
  'relay-delivery': { label: 'no delivery from the relay of', towardClient: true, failure: 'unanswered', note: 'the relay never delivered the reply' },
  'peer-reply': { label: 'no reply from', towardClient: true, failure: 'unanswered', note: 'the peer never answered' },
};
