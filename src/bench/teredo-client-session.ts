import { RS_SOURCE, serverLinkLocal } from '../synth/scenarios/teredo-client-sim.js';
import { bubble, echo, routerAdvertisement, routerSolicitation } from '../synth/teredo-payload.js';
import { encodeTeredoAddress } from '../teredo/teredo-address.js';
import { ConversationFlow, flowSegments, type FlowShape, type FlowSpec } from './conversation.js';
import type { Ipv4Ends, InnerSegment } from './frame-composer.js';
import { randomPort, type Relay, type TeredoServer } from './network-plan.js';
import { once, ScriptedSession, type Action, type TrafficContext } from './session.js';

/**
 * One Teredo client's life as a capture on the NATs' public side sees it (RFC 4380 §5.2,
 * protocol notes §3–5): qualification with its server (the NAT type decides how it goes), then
 * for each native IPv6 host it talks to a connectivity test whose relay hole punch succeeds or
 * fails, data through the relay, and refreshes while it stays up.
 */

export type NatType = 'cone' | 'restricted' | 'symmetric' | 'offline';
type Software = 'xp' | 'vista' | 'miredo';

const TEREDO_PORT = 3544;
const SERVER_RTT = 0.12;
const RS_TIMEOUT = 4;
const PUNCH_RETRY = 2;
const RELAY_BUBBLE_DELAY = 0.3;
const RELAY_DELIVERY_DELAY = 0.16;
const REFRESH_INTERVAL = 30;
/** IPv6 MTU of a Teredo interface (1280) minus the IPv6 and TCP headers. */
const TEREDO_MSS = 1220;

const SOFTWARE: readonly Software[] = ['xp', 'vista', 'miredo'];
const SOFTWARE_WEIGHTS = [0.35, 0.55, 0.1];
/** 2008-era clients probe for a cone NAT; later ones cannot tell cone from restricted. */
const XP_NATS: readonly NatType[] = ['cone', 'restricted', 'symmetric', 'offline'];
const XP_NAT_WEIGHTS = [0.35, 0.35, 0.15, 0.15];
const VISTA_NATS: readonly NatType[] = ['restricted', 'symmetric', 'offline'];
const VISTA_NAT_WEIGHTS = [0.65, 0.2, 0.15];
const FLOW_SHAPES: readonly FlowShape[] = ['download', 'upload', 'interactive', 'datagram'];
const FLOW_WEIGHTS = [0.45, 0.06, 0.19, 0.3];
const MISSING_RELAY = 0.04;
const FAILED_PUNCH = 0.05;

export interface TeredoClientTally {
  clients: number;
  byNat: Record<NatType, number>;
  punches: number;
  failedPunches: number;
  missingRelays: number;
  flows: number;
}

export function emptyTally(): TeredoClientTally {
  return { clients: 0, byNat: { cone: 0, restricted: 0, symmetric: 0, offline: 0 }, punches: 0, failedPunches: 0, missingRelays: 0, flows: 0 };
}

export function createTeredoClient(ctx: TrafficContext, index: number, tally: TeredoClientTally): ScriptedSession {
  return new ScriptedSession(new TeredoClientScript(ctx, index, tally).actions);
}

class TeredoClientScript {
  readonly actions: Action[] = [];
  private readonly ctx: TrafficContext;
  private readonly tally: TeredoClientTally;
  private readonly publicIp: number;
  private readonly port: number;
  private readonly server: TeredoServer;
  private readonly software: Software;
  private readonly randomFlags: number;
  private readonly ttlOut: number;
  private readonly ttlIn: number;
  private readonly echoId: number;
  private echoSequence = 0;
  private cone = false;
  private address: Uint8Array | null = null;
  private readonly punched = new Set<Relay>();
  private readonly ends: Ipv4Ends = { srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 0 };

  constructor(ctx: TrafficContext, index: number, tally: TeredoClientTally) {
    const prng = ctx.prng;
    this.ctx = ctx;
    this.tally = tally;
    this.publicIp = ctx.plan.clientIp(index);
    this.port = randomPort(prng);
    this.server = prng.pick(ctx.plan.servers);
    this.software = SOFTWARE[prng.weighted(SOFTWARE_WEIGHTS)];
    this.randomFlags = this.software === 'vista' ? prng.uint32() & 0x3cff : 0;
    this.ttlOut = prng.range(113, 127);
    this.ttlIn = prng.range(44, 58);
    this.echoId = prng.int(65536);
    let nat: NatType = 'restricted';
    if (this.software === 'xp') nat = XP_NATS[prng.weighted(XP_NAT_WEIGHTS)];
    else if (this.software === 'vista') nat = VISTA_NATS[prng.weighted(VISTA_NAT_WEIGHTS)];
    tally.clients++;
    tally.byNat[nat]++;

    const qualified = this.qualify(nat);
    if (!qualified) return;
    const visits = 1 + (prng.chance(0.35) ? 1 : 0) + (prng.chance(0.15) ? 1 : 0);
    for (let visit = 0; visit < visits; visit++) {
      if (!this.visit(visit === 0 ? prng.exponential(2) : prng.exponential(5))) break;
    }
    const refreshes = prng.weighted([0.4, 0.4, 0.2]);
    for (let i = 0; i < refreshes; i++) this.refresh(REFRESH_INTERVAL * (0.75 + 0.25 * prng.float()));
  }

  // --- qualification (RFC 4380 §5.2.1, protocol notes §3) ---

  private qualify(nat: NatType): boolean {
    if (this.software === 'miredo') {
      this.exchange(0, this.server.primary, this.server.primary, RS_SOURCE.miredo, this.port, true);
      this.adopt(false);
      return true;
    }
    if (this.software === 'vista') return this.qualifyVista(nat);
    return this.qualifyXp(nat);
  }

  /** Cone RSs answered from the secondary address; a non-cone NAT drops those answers. */
  private qualifyXp(nat: NatType): boolean {
    const { primary, secondary } = this.server;
    const answered = nat !== 'offline';
    this.exchange(0, primary, secondary, RS_SOURCE.windowsCone, this.port, answered);
    if (nat === 'cone') {
      this.adopt(true);
      return true;
    }
    for (let i = 1; i < 3; i++) this.exchange(RS_TIMEOUT - (answered ? SERVER_RTT : 0), primary, secondary, RS_SOURCE.windowsCone, this.port, answered);
    if (!answered) {
      for (let i = 0; i < 3; i++) this.exchange(RS_TIMEOUT, primary, primary, RS_SOURCE.windows, this.port, false);
      return false;
    }
    this.exchange(RS_TIMEOUT - SERVER_RTT, primary, primary, RS_SOURCE.windows, this.port, true);
    // The secondary probe: a symmetric NAT maps the new destination to a new port.
    const probePort = nat === 'symmetric' ? randomPort(this.ctx.prng) : this.port;
    this.exchange(0.001, secondary, secondary, RS_SOURCE.windows, probePort, true);
    if (nat === 'symmetric') return false;
    this.adopt(false);
    return true;
  }

  /** Plain RSs to both server addresses at once (zeek-gtp-teredo frames 6–7). */
  private qualifyVista(nat: NatType): boolean {
    const { primary, secondary } = this.server;
    const attempts = nat === 'offline' ? 3 : 1;
    const secondPort = nat === 'symmetric' ? randomPort(this.ctx.prng) : this.port;
    for (let i = 0; i < attempts; i++) {
      const first = this.nonce();
      const second = this.nonce();
      this.actions.push(once(i === 0 ? 0 : RS_TIMEOUT, (t) => this.toServer(t, primary, this.port, this.rs(RS_SOURCE.windows, first))));
      this.actions.push(once(0.000004, (t) => this.toServer(t, secondary, secondPort, this.rs(RS_SOURCE.windows, second))));
      if (nat === 'offline') continue;
      this.actions.push(once(SERVER_RTT, (t) => this.fromServer(t, primary, this.port, this.ra(RS_SOURCE.windows, first, this.port))));
      this.actions.push(once(0.002, (t) => this.fromServer(t, secondary, secondPort, this.ra(RS_SOURCE.windows, second, secondPort))));
    }
    if (nat !== 'restricted') return false;
    this.adopt(false);
    return true;
  }

  /** An RS from `port` to `to` and, when answered, the RA from `from` one server RTT later. */
  private exchange(delay: number, to: number, from: number, source: Uint8Array, port: number, answered: boolean): void {
    const nonce = this.nonce();
    this.actions.push(once(delay, (t) => this.toServer(t, to, port, this.rs(source, nonce))));
    if (!answered) return;
    const mtu = source === RS_SOURCE.miredo ? 1280 : undefined;
    this.actions.push(once(SERVER_RTT, (t) => this.fromServer(t, from, port, this.ra(source, nonce, port, mtu))));
  }

  private refresh(delay: number): void {
    const source = this.software === 'miredo' ? RS_SOURCE.miredo : this.cone ? RS_SOURCE.windowsCone : RS_SOURCE.windows;
    this.exchange(delay, this.server.primary, this.cone ? this.server.secondary : this.server.primary, source, this.port, true);
  }

  private adopt(cone: boolean): void {
    this.cone = cone;
    this.address = encodeTeredoAddress({ server: this.server.primary, mappedIp: this.publicIp, mappedPort: this.port, flags: this.randomFlags, cone });
  }

  // --- connectivity tests, hole punching and data (RFC 4380 §5.2.9, §5.4.1, protocol notes §5) ---

  /** Talks to one native host; false when the client got no connectivity and gives up. */
  private visit(delay: number): boolean {
    const prng = this.ctx.prng;
    const hostIndex = prng.int(this.ctx.plan.nativeHosts.length);
    const host = this.ctx.plan.nativeHosts[hostIndex];
    const relay = this.ctx.plan.relays[hostIndex % this.ctx.plan.relays.length];
    if (this.punched.has(relay)) {
      // The relay already has a hole toward the client: it delivers straight away.
      const sequence = this.echoSequence++;
      this.actions.push(once(delay, (t) => this.toServer(t, this.server.primary, this.port, this.echoRequest(host, sequence))));
      this.actions.push(once(RELAY_BUBBLE_DELAY, (t) => this.fromRelay(t, relay, this.echoReply(host, sequence))));
    } else {
      const roll = prng.float();
      if (roll < MISSING_RELAY) {
        this.tally.missingRelays++;
        for (let i = 0; i < 3; i++) {
          const sequence = this.echoSequence++;
          this.actions.push(once(i === 0 ? delay : PUNCH_RETRY, (t) => this.toServer(t, this.server.primary, this.port, this.echoRequest(host, sequence))));
        }
        return false;
      }
      const fails = roll < MISSING_RELAY + FAILED_PUNCH;
      for (let attempt = 0; attempt < (fails ? 3 : 1); attempt++) {
        const sequence = this.echoSequence++;
        const start = attempt === 0 ? delay : PUNCH_RETRY - RELAY_BUBBLE_DELAY - 0.0002;
        this.actions.push(once(start, (t) => this.toServer(t, this.server.primary, this.port, this.echoRequest(host, sequence))));
        this.actions.push(once(RELAY_BUBBLE_DELAY, (t) => this.fromServer(t, this.server.primary, this.port, this.relayBubble(relay))));
        this.actions.push(once(0.0002, (t) => this.toRelay(t, relay, this.clientBubble(relay))));
        if (!fails) this.actions.push(once(RELAY_DELIVERY_DELAY, (t) => this.fromRelay(t, relay, this.echoReply(host, sequence))));
      }
      if (fails) {
        this.tally.failedPunches++;
        return false;
      }
      this.tally.punches++;
      this.punched.add(relay);
    }
    this.actions.push(this.flow(prng.exponential(0.05), relay, host));
    this.tally.flows++;
    return true;
  }

  private flow(delay: number, relay: Relay, host: Uint8Array): Action {
    const prng = this.ctx.prng;
    const shape = FLOW_SHAPES[prng.weighted(FLOW_WEIGHTS)];
    const spec: FlowSpec = {
      shape,
      segments:
        shape === 'interactive' ? prng.range(40, 400) : shape === 'datagram' ? flowSegments(prng, 100, 3000) : flowSegments(prng, 60, 6000),
      rate: shape === 'interactive' ? prng.range(10, 30) : shape === 'datagram' ? prng.range(30, 60) : prng.range(300, 1500),
      rtt: 0.08 + prng.exponential(0.1),
      maxSegment: TEREDO_MSS,
    };
    const address = this.address!;
    const clientPort = prng.range(49152, 65535);
    const serverPort = shape === 'datagram' ? prng.pick([3074, 3478, 5062, 27015]) : prng.pick([80, 443, 443, 22]);
    const inner: InnerSegment = { src: address, dst: host, protocol: shape === 'datagram' ? 17 : 6, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, hopLimit: 0, flowLabel: prng.int(0x100000) };
    const conversation = new ConversationFlow(prng, spec, (time, fromClient, flags, seq, ack, length) => {
      const ends = this.ends;
      if (fromClient) {
        setEnds(ends, this.publicIp, this.port, relay.ip, relay.port);
        inner.src = address;
        inner.dst = host;
        inner.srcPort = clientPort;
        inner.dstPort = serverPort;
        inner.hopLimit = 128;
      } else {
        setEnds(ends, relay.ip, relay.port, this.publicIp, this.port);
        inner.src = host;
        inner.dst = address;
        inner.srcPort = serverPort;
        inner.dstPort = clientPort;
        inner.hopLimit = 52;
      }
      inner.seq = seq;
      inner.ack = ack;
      inner.flags = flags;
      const frameLength = this.ctx.composer.teredoData(ends, inner, length, fromClient ? this.ttlOut : this.ttlIn);
      this.ctx.emit(time, frameLength, 'teredo-data');
    });
    return { delay, run: (time) => conversation.step(time) };
  }

  // --- payloads ---

  private nonce(): Uint8Array {
    return this.ctx.prng.fill(new Uint8Array(8));
  }

  private rs(source: Uint8Array, nonce: Uint8Array): Uint8Array {
    return routerSolicitation({ src: source, cone: source === RS_SOURCE.windowsCone, auth: { nonce } });
  }

  private ra(rsSource: Uint8Array, nonce: Uint8Array, port: number, mtu?: number): Uint8Array {
    const primary = this.server.primary;
    const prefix = Uint8Array.of(0x20, 0x01, 0, 0, primary >>> 24, (primary >>> 16) & 0xff, (primary >>> 8) & 0xff, primary & 0xff);
    return routerAdvertisement({ src: serverLinkLocal(primary), dst: rsSource, prefix, mtu, auth: { nonce }, origin: { address: this.publicIp, port } });
  }

  private echoRequest(host: Uint8Array, sequence: number): Uint8Array {
    return echo({ request: true, src: this.address!, dst: host, identifier: this.echoId, sequence, data: new Uint8Array(4) });
  }

  private echoReply(host: Uint8Array, sequence: number): Uint8Array {
    return echo({ request: false, src: host, dst: this.address!, identifier: this.echoId, sequence, data: new Uint8Array(4), hopLimit: 58 });
  }

  /** The relay's bubble through the client's server, its socket in the origin indication. */
  private relayBubble(relay: Relay): Uint8Array {
    return bubble({ src: relay.linkLocal, dst: this.address!, hopLimit: 0, origin: { address: relay.ip, port: relay.port } });
  }

  private clientBubble(relay: Relay): Uint8Array {
    return bubble({ src: this.address!, dst: relay.linkLocal, hopLimit: 0 });
  }

  // --- sending ---

  private toServer(time: number, server: number, port: number, payload: Uint8Array): void {
    this.send(time, this.publicIp, port, server, TEREDO_PORT, payload, this.ttlOut);
  }

  private fromServer(time: number, server: number, port: number, payload: Uint8Array): void {
    this.send(time, server, TEREDO_PORT, this.publicIp, port, payload, this.ttlIn);
  }

  private toRelay(time: number, relay: Relay, payload: Uint8Array): void {
    this.send(time, this.publicIp, this.port, relay.ip, relay.port, payload, this.ttlOut);
  }

  private fromRelay(time: number, relay: Relay, payload: Uint8Array): void {
    this.send(time, relay.ip, relay.port, this.publicIp, this.port, payload, this.ttlIn);
  }

  private send(time: number, srcIp: number, srcPort: number, dstIp: number, dstPort: number, payload: Uint8Array, ttl: number): void {
    setEnds(this.ends, srcIp, srcPort, dstIp, dstPort);
    this.ctx.emit(time, this.ctx.composer.udpWithPayload(this.ends, payload, ttl), 'teredo-control');
  }
}

function setEnds(ends: Ipv4Ends, srcIp: number, srcPort: number, dstIp: number, dstPort: number): void {
  ends.srcIp = srcIp;
  ends.srcPort = srcPort;
  ends.dstIp = dstIp;
  ends.dstPort = dstPort;
}
