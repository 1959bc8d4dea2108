import { buildIpv4Udp, encapsulate } from '../frame-builder.js';
import type { NatModel } from './nat-model.js';
import { SCENARIO_LINK_TYPE, type Scenario, type ScenarioFrame, type Socket, type Vantage } from './scenario.js';

/** Capture time of t = 0 in every scenario: 2024-01-01T00:00:00Z. */
export const SCENARIO_EPOCH = 1_704_067_200;

interface PendingFrame {
  time: number;
  order: number;
  data: Uint8Array;
  label: string | undefined;
}

/**
 * Records what a capture at `vantage` sees of the simulated exchanges. Packets from a client pass
 * its NAT (inside: recorded with the private source; outside: with the public one). Packets to a
 * client are addressed to a public socket: outside they are always recorded, inside only when the
 * NAT lets them through. Frames are numbered in time order when the scenario is built.
 */
export class ScenarioRecorder {
  readonly vantage: Vantage;
  /** Put before every label recorded (per-client labels when a scenario has several clients). */
  labelPrefix = '';
  private readonly pending: PendingFrame[] = [];

  constructor(vantage: Vantage) {
    this.vantage = vantage;
  }

  /** A client behind `nat` sends; returns the public socket the packet left from. */
  fromClient(nat: NatModel, privateSocket: Socket, remote: Socket, payload: Uint8Array, time: number, label?: string): Socket {
    const publicSocket = nat.outbound(privateSocket, remote);
    const source = this.vantage === 'inside' ? privateSocket : publicSocket;
    this.record(source, remote, payload, time, label);
    return publicSocket;
  }

  /** The Internet sends to a public socket of `nat`; returns whether the client received it. */
  toClient(nat: NatModel, remote: Socket, publicSocket: Socket, payload: Uint8Array, time: number, label?: string): boolean {
    const privateSocket = nat.inbound(publicSocket, remote);
    if (this.vantage === 'outside') this.record(remote, publicSocket, payload, time, label);
    else if (privateSocket !== null) this.record(remote, privateSocket, payload, time, label);
    return privateSocket !== null;
  }

  build(base: string, description: string): Scenario {
    const sorted = [...this.pending].sort((a, b) => a.time - b.time || a.order - b.order);
    const labels: Record<string, number[]> = {};
    const frames: ScenarioFrame[] = sorted.map((entry, index) => {
      if (entry.label !== undefined) (labels[entry.label] ??= []).push(index + 1);
      const micros = Math.round(entry.time * 1e6);
      return { seconds: SCENARIO_EPOCH + Math.floor(micros / 1e6), nanos: (micros % 1e6) * 1000, data: entry.data };
    });
    return { name: `${base}-${this.vantage}`, base, vantage: this.vantage, description, linkType: SCENARIO_LINK_TYPE, frames, labels };
  }

  private record(source: Socket, destination: Socket, payload: Uint8Array, time: number, label: string | undefined): void {
    const ip = buildIpv4Udp({ srcIp: source.ip, srcPort: source.port, dstIp: destination.ip, dstPort: destination.port, payload });
    const fullLabel = label === undefined ? undefined : `${this.labelPrefix}${label}`;
    this.pending.push({ time, order: this.pending.length, data: encapsulate(ip, { linkType: SCENARIO_LINK_TYPE }), label: fullLabel });
  }
}
