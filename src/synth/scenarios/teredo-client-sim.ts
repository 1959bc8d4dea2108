import { parseIpv6 } from '../../decode/ip-address.js';
import { encodeTeredoAddress } from '../../teredo/teredo-address.js';
import { bubble, echo, ipv6Data, routerAdvertisement, routerSolicitation } from '../teredo-payload.js';
import type { NatModel } from './nat-model.js';
import type { ScenarioRecorder } from './scenario-recorder.js';
import type { Socket } from './scenario.js';

export const TEREDO_PORT = 3544;

/** A Teredo server: two IPv4 addresses, the primary being the one in client prefixes. */
export interface ServerAddresses {
  primary: number;
  secondary: number;
}

/** RS sources: Windows (C = 1 / C = 0) and Miredo (C = 0). */
export const RS_SOURCE = {
  windowsCone: parseIpv6('fe80::8000:ffff:ffff:fffd')!,
  windows: parseIpv6('fe80::ffff:ffff:fffe')!,
  miredo: parseIpv6('fe80::ffff:ffff:ffff')!,
} as const;

/** One-way delay client ↔ server used by the scenarios (the RTT is twice this). */
export const SERVER_DELAY = 0.06;

/** Server link-local RA source (RFC 4380 §5.3.2): fe80::8000:f227:<~server IPv4>. */
export function serverLinkLocal(primary: number): Uint8Array {
  const address = parseIpv6('fe80::8000:f227:0:0')!;
  const inverted = (primary ^ 0xffffffff) >>> 0;
  address[12] = inverted >>> 24;
  address[13] = (inverted >>> 16) & 0xff;
  address[14] = (inverted >>> 8) & 0xff;
  address[15] = inverted & 0xff;
  return address;
}

export function server(socketIp: number): Socket {
  return { ip: socketIp, port: TEREDO_PORT };
}

/**
 * A Teredo client behind a NAT in a scenario: sends what a client sends, lets the server and other
 * nodes answer, and remembers what it learned (mapping, Teredo address). Whether an answer reaches
 * it is decided by the NAT model, and the client goes on accordingly.
 */
export class TeredoClientSim {
  readonly recorder: ScenarioRecorder;
  readonly nat: NatModel;
  readonly privateSocket: Socket;
  readonly server: ServerAddresses;
  /** Mapped socket from the RA that qualified it, and the Teredo address built from it. */
  mapped: Socket | null = null;
  address: Uint8Array | null = null;
  /** C flag of the RS that qualified it (refresh RSs use the same). */
  cone = false;
  /** RFC 5991 random flag bits put in the address (0 for 2008-era Windows). */
  readonly randomFlags: number;
  private readonly seed: number;
  private nonceCounter = 0;
  private echoSequence = 0x1000;

  constructor(recorder: ScenarioRecorder, nat: NatModel, privateSocket: Socket, serverAddresses: ServerAddresses, seed: number, randomFlags = 0) {
    this.recorder = recorder;
    this.nat = nat;
    this.privateSocket = privateSocket;
    this.server = serverAddresses;
    this.seed = seed;
    this.randomFlags = randomFlags;
  }

  nextNonce(): Uint8Array {
    this.nonceCounter++;
    return Uint8Array.of(0x5e, this.seed & 0xff, 0xa1, 0x7e, 0, 0, this.nonceCounter >> 8, this.nonceCounter & 0xff);
  }

  /** Sends an RS; returns the nonce and the public socket it left from. */
  solicit(time: number, to: number, source: Uint8Array, label: string, nonce = this.nextNonce()): { nonce: Uint8Array; publicSocket: Socket } {
    const cone = (source[8] & 0x80) !== 0;
    const payload = routerSolicitation({ src: source, cone, auth: { nonce } });
    const publicSocket = this.recorder.fromClient(this.nat, this.privateSocket, server(to), payload, time, label);
    return { nonce, publicSocket };
  }

  /** The server at `from` answers an RS that arrived from `publicSocket`; true if the client got it. */
  advertise(time: number, from: number, publicSocket: Socket, nonce: Uint8Array, rsSource: Uint8Array, label: string, mtu?: number): boolean {
    const prefix = new Uint8Array(8);
    prefix.set([0x20, 0x01, 0, 0, this.server.primary >>> 24, (this.server.primary >>> 16) & 0xff, (this.server.primary >>> 8) & 0xff, this.server.primary & 0xff]);
    const payload = routerAdvertisement({
      src: serverLinkLocal(this.server.primary),
      dst: rsSource,
      prefix,
      mtu,
      auth: { nonce },
      origin: { address: publicSocket.ip, port: publicSocket.port },
    });
    return this.recorder.toClient(this.nat, server(from), publicSocket, payload, time, label);
  }

  /** Takes the mapping of an RA the client accepted and forms its Teredo address (§5.2.1 step 6). */
  adopt(mapped: Socket, cone: boolean): void {
    this.mapped = mapped;
    this.cone = cone;
    this.address = encodeTeredoAddress({ server: this.server.primary, mappedIp: mapped.ip, mappedPort: mapped.port, flags: this.randomFlags, cone });
  }

  /** Sends any Teredo payload to a socket. */
  send(time: number, to: Socket, payload: Uint8Array, label: string): Socket {
    return this.recorder.fromClient(this.nat, this.privateSocket, to, payload, time, label);
  }

  /** A node on the Internet sends to the client's public socket toward it; true if it got through. */
  receive(time: number, from: Socket, payload: Uint8Array, label: string, toPublic?: Socket): boolean {
    const target = toPublic ?? this.nat.publicSocketFor(this.privateSocket, from) ?? this.mapped;
    if (target === null) throw new Error('the client has no public socket toward this node');
    return this.recorder.toClient(this.nat, from, target, payload, time, label);
  }

  echoRequest(host: Uint8Array): { payload: Uint8Array; identifier: number; sequence: number } {
    const sequence = this.echoSequence++;
    return { payload: echo({ request: true, src: this.requireAddress(), dst: host, identifier: 0xd373, sequence, data: new Uint8Array(4) }), identifier: 0xd373, sequence };
  }

  bubbleTo(destination: Uint8Array, hopLimit = 21): Uint8Array {
    return bubble({ src: this.requireAddress(), dst: destination, hopLimit });
  }

  tcpTo(destination: Uint8Array, text: string): Uint8Array {
    return ipv6Data({ src: this.requireAddress(), dst: destination, protocol: 6, srcPort: 1286, dstPort: 80, payload: new TextEncoder().encode(text) });
  }

  requireAddress(): Uint8Array {
    if (this.address === null) throw new Error('the client is not qualified');
    return this.address;
  }
}
