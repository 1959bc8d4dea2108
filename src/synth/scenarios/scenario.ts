/** Where the capture of a scenario is taken: on the client's LAN, or on the NAT's public side. */
export type Vantage = 'inside' | 'outside';

/** A UDP/IPv4 socket of the simulated network. */
export interface Socket {
  ip: number;
  port: number;
}

/** One frame of a generated capture: a timestamp and the link-layer bytes. */
export interface ScenarioFrame {
  seconds: number;
  nanos: number;
  data: Uint8Array;
}

/** Scenario captures are Ethernet. */
export const SCENARIO_LINK_TYPE = 1;

export interface Scenario {
  /** `<base>-<vantage>`, e.g. `symmetric-outside`. */
  name: string;
  base: string;
  vantage: Vantage;
  description: string;
  linkType: typeof SCENARIO_LINK_TYPE;
  frames: ScenarioFrame[];
  /**
   * Frame numbers (1-based, Wireshark's) of the packets playing each named role, e.g.
   * `primary-ra` → [17]. Only packets that appear at this vantage are listed.
   */
  labels: Record<string, number[]>;
}

export function socketKey(socket: Socket): string {
  return `${socket.ip}:${socket.port}`;
}
