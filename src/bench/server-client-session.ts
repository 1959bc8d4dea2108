import { RS_SOURCE, serverLinkLocal } from '../synth/scenarios/teredo-client-sim.js';
import { bubble, routerAdvertisement, routerSolicitation } from '../synth/teredo-payload.js';
import { TEREDO_PORT } from '../teredo/constants.js';
import { encodeTeredoAddress } from '../teredo/teredo-address.js';
import type { Ipv4Ends } from './frame-composer.js';
import { randomPort, type Relay, type TeredoServer } from './network-plan.js';
import { DONE, once, ScriptedSession, type Action, type TrafficContext } from './session.js';
import type { NatType } from './teredo-client-session.js';

/**
 * One Teredo client as its server sees it (a capture on the server's two public addresses, as an
 * operator takes it): qualification by the client's procedure (2008-era Windows probes for a cone
 * NAT first, later Windows sends plain RSs to both addresses, Miredo one RS to the primary), then a
 * refresh RS/RA every 30 s while the client stays up, and now and then an indirect bubble that a
 * relay sends through the server and the server forwards with an origin indication (RFC 4380
 * §5.2.6, §5.3.1). Clients that do not qualify (symmetric NAT, offline) try again later, as Windows
 * does. Only packets to or from the server are emitted.
 */

export type Procedure = 'windows-cone-probe' | 'windows' | 'miredo';

export interface ServerClientTally {
  clients: number;
  byNat: Record<NatType, number>;
  byProcedure: Record<Procedure, number>;
  /** Clients behind the one shared NAT address. */
  sharedNat: number;
  refreshes: number;
  forwardedBubbles: number;
}

export function emptyServerClientTally(): ServerClientTally {
  return {
    clients: 0,
    byNat: { cone: 0, restricted: 0, symmetric: 0, offline: 0 },
    byProcedure: { 'windows-cone-probe': 0, windows: 0, miredo: 0 },
    sharedNat: 0,
    refreshes: 0,
    forwardedBubbles: 0,
  };
}

/** How one client enters the capture. */
export interface ServerClientSpec {
  index: number;
  /** Seconds the client stays up from its first step. */
  lifetime: number;
  /** Already qualified before the capture started: it only refreshes. */
  qualified: boolean;
  /** Behind the shared NAT: that address, and a port of its own. */
  shared: { ip: number; port: number } | null;
}

/** The server answers within a fraction of a millisecond of the RS reaching it. */
const SERVER_TURNAROUND = 0.0003;
const RS_TIMEOUT = 4;
const REFRESH_INTERVAL = 30;
/** Pause before an unqualified client tries the whole qualification again. */
const RETRY_PAUSE = 30;
/** Chance, per refresh interval, that a relay reaches the client through the server. */
const FORWARDED_BUBBLE_CHANCE = 0.15;
/** The relay's bubble reaches the server, which forwards it at once. */
const FORWARD_DELAY = 0.0002;

const PROCEDURES: readonly Procedure[] = ['windows-cone-probe', 'windows', 'miredo'];
const PROCEDURE_WEIGHTS = [0.3, 0.55, 0.15];
const CONE_PROBE_NATS: readonly NatType[] = ['cone', 'restricted', 'symmetric', 'offline'];
const CONE_PROBE_NAT_WEIGHTS = [0.35, 0.35, 0.15, 0.15];
const WINDOWS_NATS: readonly NatType[] = ['restricted', 'symmetric', 'offline'];
const WINDOWS_NAT_WEIGHTS = [0.65, 0.2, 0.15];
const MIREDO_NATS: readonly NatType[] = ['restricted', 'offline'];
const MIREDO_NAT_WEIGHTS = [0.9, 0.1];

export function createServerClient(ctx: TrafficContext, server: TeredoServer, spec: ServerClientSpec, tally: ServerClientTally): ScriptedSession {
  return new ScriptedSession(new ServerClientScript(ctx, server, spec, tally).actions);
}

class ServerClientScript {
  readonly actions: Action[] = [];
  private readonly ctx: TrafficContext;
  private readonly server: TeredoServer;
  private readonly tally: ServerClientTally;
  private readonly publicIp: number;
  private readonly port: number;
  private readonly procedure: Procedure;
  private nat: NatType;
  private readonly randomFlags: number;
  private readonly ttlIn: number;
  private readonly ttlOut: number;
  private readonly lifetime: number;
  private deadline = -1;
  private cone = false;
  private address: Uint8Array | null = null;
  private readonly ends: Ipv4Ends = { srcIp: 0, srcPort: 0, dstIp: 0, dstPort: 0 };

  constructor(ctx: TrafficContext, server: TeredoServer, spec: ServerClientSpec, tally: ServerClientTally) {
    const prng = ctx.prng;
    this.ctx = ctx;
    this.server = server;
    this.tally = tally;
    this.publicIp = spec.shared?.ip ?? ctx.plan.clientIp(spec.index);
    this.port = spec.shared?.port ?? randomPort(prng);
    this.procedure = PROCEDURES[prng.weighted(PROCEDURE_WEIGHTS)];
    this.nat =
      this.procedure === 'windows-cone-probe'
        ? CONE_PROBE_NATS[prng.weighted(CONE_PROBE_NAT_WEIGHTS)]
        : this.procedure === 'windows'
          ? WINDOWS_NATS[prng.weighted(WINDOWS_NAT_WEIGHTS)]
          : MIREDO_NATS[prng.weighted(MIREDO_NAT_WEIGHTS)];
    // A client already qualified when the capture starts has a NAT that lets it qualify.
    if (spec.qualified && (this.nat === 'symmetric' || this.nat === 'offline')) this.nat = this.procedure === 'windows-cone-probe' ? 'cone' : 'restricted';
    this.randomFlags = this.procedure === 'windows' ? prng.uint32() & 0x3cff : 0;
    this.ttlIn = prng.range(44, 58);
    this.ttlOut = 64;
    this.lifetime = spec.lifetime;
    tally.clients++;
    tally.byNat[this.nat]++;
    tally.byProcedure[this.procedure]++;
    if (spec.shared !== null) tally.sharedNat++;

    if (spec.qualified) {
      this.adopt(this.nat === 'cone');
      this.actions.push(this.refreshLoop(prng.float() * REFRESH_INTERVAL));
    } else {
      this.actions.push(this.qualificationLoop(prng.float() * 0.5));
    }
  }

  // --- qualification, retried until it succeeds or the client leaves ---

  /** Each pass runs the procedure's exchanges; a qualified client then refreshes, others wait and retry. */
  private qualificationLoop(delay: number): Action {
    let steps: Action[] = [];
    let index = 0;
    return {
      delay,
      run: (time) => {
        if (index === 0) {
          if (!this.alive(time)) return DONE;
          steps = this.qualificationSteps();
        }
        steps[index++].run(time);
        if (index < steps.length) return steps[index].delay;
        index = 0;
        if (this.address !== null) {
          this.actions.push(this.refreshLoop(REFRESH_INTERVAL));
          return DONE;
        }
        return RETRY_PAUSE;
      },
    };
  }

  /** Whether the client is still up at `time`; its life starts at its first step. */
  private alive(time: number): boolean {
    if (this.deadline < 0) this.deadline = time + this.lifetime;
    return time < this.deadline;
  }

  private qualificationSteps(): Action[] {
    const steps: Action[] = [];
    const { primary, secondary } = this.server;
    const answered = this.nat !== 'offline';
    const exchange = (delay: number, to: number, from: number, source: Uint8Array, port: number, reply: boolean, mtu?: number): void => {
      const nonce = this.nonce();
      steps.push(once(delay, (t) => this.toServer(t, to, port, routerSolicitation({ src: source, cone: source === RS_SOURCE.windowsCone, auth: { nonce } }))));
      if (reply) steps.push(once(SERVER_TURNAROUND, (t) => this.fromServer(t, from, port, this.ra(source, nonce, port, mtu))));
    };
    if (this.procedure === 'miredo') {
      for (let i = 0; i < (answered ? 1 : 3); i++) exchange(i === 0 ? 0 : RS_TIMEOUT, primary, primary, RS_SOURCE.miredo, this.port, answered, 1280);
      if (answered) steps.push(once(0, () => this.adopt(false)));
      return steps;
    }
    if (this.procedure === 'windows') {
      const secondPort = this.nat === 'symmetric' ? randomPort(this.ctx.prng) : this.port;
      for (let i = 0; i < (answered ? 1 : 3); i++) {
        exchange(i === 0 ? 0 : RS_TIMEOUT, primary, primary, RS_SOURCE.windows, this.port, answered);
        exchange(0.000004, secondary, secondary, RS_SOURCE.windows, secondPort, answered);
      }
      if (this.nat === 'restricted') steps.push(once(0, () => this.adopt(false)));
      return steps;
    }
    // 2008-era Windows: cone RSs answered from the secondary address, which a non-cone NAT drops.
    exchange(0, primary, secondary, RS_SOURCE.windowsCone, this.port, answered);
    if (this.nat === 'cone') {
      steps.push(once(0, () => this.adopt(true)));
      return steps;
    }
    for (let i = 1; i < 3; i++) exchange(RS_TIMEOUT, primary, secondary, RS_SOURCE.windowsCone, this.port, answered);
    if (!answered) {
      for (let i = 0; i < 3; i++) exchange(RS_TIMEOUT, primary, primary, RS_SOURCE.windows, this.port, false);
      return steps;
    }
    exchange(RS_TIMEOUT, primary, primary, RS_SOURCE.windows, this.port, true);
    const probePort = this.nat === 'symmetric' ? randomPort(this.ctx.prng) : this.port;
    exchange(0.001, secondary, secondary, RS_SOURCE.windows, probePort, true);
    if (this.nat !== 'symmetric') steps.push(once(0, () => this.adopt(false)));
    return steps;
  }

  // --- refreshes and forwarded bubbles, one repeating action ---

  private refreshLoop(delay: number): Action {
    const source = this.procedure === 'miredo' ? RS_SOURCE.miredo : this.cone ? RS_SOURCE.windowsCone : RS_SOURCE.windows;
    const answerFrom = this.cone ? this.server.secondary : this.server.primary;
    const mtu = this.procedure === 'miredo' ? 1280 : undefined;
    const prng = this.ctx.prng;
    let phase = 0;
    let rsAt = 0;
    let nonce = this.nonce();
    let relay: Relay = this.ctx.plan.relays[0];
    return {
      delay,
      run: (time) => {
        switch (phase) {
          case 0:
            if (!this.alive(time)) return DONE;
            rsAt = time;
            nonce = this.nonce();
            this.toServer(time, this.server.primary, this.port, routerSolicitation({ src: source, cone: this.cone, auth: { nonce } }));
            this.tally.refreshes++;
            phase = 1;
            return SERVER_TURNAROUND;
          case 1:
            this.fromServer(time, answerFrom, this.port, this.ra(source, nonce, this.port, mtu));
            if (!prng.chance(FORWARDED_BUBBLE_CHANCE)) {
              phase = 0;
              return rsAt + REFRESH_INTERVAL - time;
            }
            relay = prng.pick(this.ctx.plan.relays);
            phase = 2;
            return prng.float() * (REFRESH_INTERVAL - 1);
          case 2:
            // A relay's bubble for the client, sent to the server named in the client's address.
            this.send(time, relay.ip, relay.port, this.server.primary, TEREDO_PORT, bubble({ src: relay.linkLocal, dst: this.address!, hopLimit: 0 }), this.ttlIn);
            phase = 3;
            return FORWARD_DELAY;
          default:
            this.fromServer(time, this.server.primary, this.port, bubble({ src: relay.linkLocal, dst: this.address!, hopLimit: 0, origin: { address: relay.ip, port: relay.port } }));
            this.tally.forwardedBubbles++;
            phase = 0;
            return Math.max(0, rsAt + REFRESH_INTERVAL - time);
        }
      },
    };
  }

  private adopt(cone: boolean): void {
    this.cone = cone;
    this.address = encodeTeredoAddress({ server: this.server.primary, mappedIp: this.publicIp, mappedPort: this.port, flags: this.randomFlags, cone });
  }

  private nonce(): Uint8Array {
    return this.ctx.prng.fill(new Uint8Array(8));
  }

  private ra(rsSource: Uint8Array, nonce: Uint8Array, port: number, mtu?: number): Uint8Array {
    const primary = this.server.primary;
    const prefix = Uint8Array.of(0x20, 0x01, 0, 0, primary >>> 24, (primary >>> 16) & 0xff, (primary >>> 8) & 0xff, primary & 0xff);
    return routerAdvertisement({ src: serverLinkLocal(primary), dst: rsSource, prefix, mtu, auth: { nonce }, origin: { address: this.publicIp, port } });
  }

  private toServer(time: number, server: number, port: number, payload: Uint8Array): void {
    this.send(time, this.publicIp, port, server, TEREDO_PORT, payload, this.ttlIn);
  }

  private fromServer(time: number, server: number, port: number, payload: Uint8Array): void {
    this.send(time, server, TEREDO_PORT, this.publicIp, port, payload, this.ttlOut);
  }

  private send(time: number, srcIp: number, srcPort: number, dstIp: number, dstPort: number, payload: Uint8Array, ttl: number): void {
    const ends = this.ends;
    ends.srcIp = srcIp;
    ends.srcPort = srcPort;
    ends.dstIp = dstIp;
    ends.dstPort = dstPort;
    this.ctx.emit(time, this.ctx.composer.udpWithPayload(ends, payload, ttl), 'teredo-control');
  }
}
