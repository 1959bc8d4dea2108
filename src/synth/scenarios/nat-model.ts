import { socketKey, type Socket } from './scenario.js';

/**
 * Mapping: `endpoint-independent` reuses one public port per private socket (cone, restricted);
 * `address-and-port-dependent` takes a new port per destination (symmetric). RFC 4787 terms.
 */
export type NatMapping = 'endpoint-independent' | 'address-and-port-dependent';
/** Which inbound packets reach a mapping: any (full cone), from contacted addresses, from contacted sockets. */
export type NatFiltering = 'endpoint-independent' | 'address-dependent' | 'address-and-port-dependent';

export interface NatSpec {
  publicIp: number;
  mapping: NatMapping;
  filtering: NatFiltering;
  /** Keep the private port as public port when it is free (default true). */
  preservePorts?: boolean;
  /** First port handed out when a port cannot be preserved (default 40000). */
  firstPort?: number;
}

interface Binding {
  privateSocket: Socket;
  publicPort: number;
  contactedIps: Set<number>;
  contactedSockets: Set<string>;
  /** Forgotten by a rebinding: its port stays taken but nothing gets in any more. */
  dead: boolean;
}

/**
 * A NAT of the simulated network, so that scenarios follow from NAT behaviour instead of being
 * scripted packet by packet: which public socket a packet leaves from, and whether an inbound
 * packet gets through (if not, a capture inside the NAT never shows it).
 */
export class NatModel {
  private ip: number;
  private readonly spec: NatSpec;
  private readonly bindings = new Map<string, Binding>();
  private readonly byPublicPort = new Map<number, Binding>();
  private readonly mappingOverride = new Map<string, NatMapping>();
  private nextPort: number;

  constructor(spec: NatSpec) {
    this.spec = spec;
    this.ip = spec.publicIp;
    this.nextPort = spec.firstPort ?? 40000;
  }

  /** The NAT's public address (a renumbering changes it). */
  get publicIp(): number {
    return this.ip;
  }

  /**
   * Renumbering (a new public address from the ISP, a NAT reboot): every mapping is forgotten, and
   * their ports stay taken, so that neither the old address nor the old port links the new mappings.
   */
  renumber(publicIp: number): void {
    for (const binding of this.bindings.values()) binding.dead = true;
    this.bindings.clear();
    this.ip = publicIp;
  }

  /** Gives one private socket another mapping behaviour (e.g. its port collided, so the NAT maps per destination). */
  setMapping(privateSocket: Socket, mapping: NatMapping): void {
    this.mappingOverride.set(socketKey(privateSocket), mapping);
  }

  /** Translates an outbound packet: the public socket it leaves from (creating the mapping). */
  outbound(privateSocket: Socket, remote: Socket): Socket {
    const binding = this.bindingFor(privateSocket, remote, true)!;
    binding.contactedIps.add(remote.ip);
    binding.contactedSockets.add(socketKey(remote));
    return { ip: this.publicIp, port: binding.publicPort };
  }

  /** The public socket `remote` would answer to (the mapping toward it), or null if none exists yet. */
  publicSocketFor(privateSocket: Socket, remote: Socket): Socket | null {
    const binding = this.bindingFor(privateSocket, remote, false);
    return binding === null ? null : { ip: this.publicIp, port: binding.publicPort };
  }

  /** The private socket an inbound packet reaches, or null when the NAT drops it. */
  inbound(publicSocket: Socket, remote: Socket): Socket | null {
    if (publicSocket.ip !== this.publicIp) return null;
    const binding = this.byPublicPort.get(publicSocket.port);
    if (binding === undefined || binding.dead) return null;
    const allowed =
      this.spec.filtering === 'endpoint-independent' ||
      (this.spec.filtering === 'address-dependent' && binding.contactedIps.has(remote.ip)) ||
      binding.contactedSockets.has(socketKey(remote));
    return allowed ? binding.privateSocket : null;
  }

  /** NAT rebinding (reboot, timeout): every mapping of the private socket is forgotten and its port not reused. */
  rebind(privateSocket: Socket): void {
    for (const [key, binding] of this.bindings) {
      if (socketKey(binding.privateSocket) !== socketKey(privateSocket)) continue;
      binding.dead = true;
      this.bindings.delete(key);
    }
  }

  private bindingFor(privateSocket: Socket, remote: Socket, create: boolean): Binding | null {
    const mapping = this.mappingOverride.get(socketKey(privateSocket)) ?? this.spec.mapping;
    const key = mapping === 'endpoint-independent' ? socketKey(privateSocket) : `${socketKey(privateSocket)}>${socketKey(remote)}`;
    const existing = this.bindings.get(key);
    if (existing !== undefined || !create) return existing ?? null;
    const binding: Binding = { privateSocket, publicPort: this.allocatePort(privateSocket.port), contactedIps: new Set(), contactedSockets: new Set(), dead: false };
    this.bindings.set(key, binding);
    this.byPublicPort.set(binding.publicPort, binding);
    return binding;
  }

  private allocatePort(wanted: number): number {
    if (this.spec.preservePorts !== false && !this.byPublicPort.has(wanted)) return wanted;
    while (this.byPublicPort.has(this.nextPort)) this.nextPort++;
    return this.nextPort++;
  }
}
