import { encodeTeredoAddress } from '../teredo/teredo-address.js';
import { parseIpv6 } from '../decode/ip-address.js';
import { buildIpv4Udp } from './frame-builder.js';
import { encapsulate } from './frame-encapsulation.js';
import { bubble, echo, routerAdvertisement, routerSolicitation } from './teredo-payload.js';

/**
 * Traffic a Teredo server's own interface sees (the server vantage of issue 12), with many clients
 * live at once: every client starts within `spreadSeconds` and stays active for up to 8 s. Each
 * client follows one plan, chosen by its index:
 * - `relay`: RS/RA, a connectivity test, the relay's indirect bubble to the server and the server
 *   forwarding it; the client's bubble to the relay and the relay's delivery never pass the server,
 *   so its hole punch is `unobservable`;
 * - `offline`: three RSs 4 s apart, never answered (an `offline` error);
 * - `retry`: an RS lost, the retry 4 s later answered (qualified, no finding).
 */
export type ServerMixPlan = 'relay' | 'offline' | 'retry';

export const SERVER_MIX_PLANS: readonly ServerMixPlan[] = ['relay', 'offline', 'retry'];

export interface ServerMixOptions {
  clients: number;
  /** Seconds over which the clients start (default 10: with every plan at most 8 s long, all are live at once). */
  spreadSeconds?: number;
}

const SERVER = 0x41379e50; // 65.55.158.80
const RELAY = 0x53aa0126; // 83.170.1.38
const RELAY_PORT = 32900;
const RELAY_IPV6 = parseIpv6('fe80::708d:fe83:4114:a512')!;
const HOST = parseIpv6('2001:db8:80::1')!;
const SERVER_LINK_LOCAL = parseIpv6('fe80::8000:f227:bec8:61af')!;
const PREFIX = Uint8Array.of(0x20, 0x01, 0, 0, 0x41, 0x37, 0x9e, 0x50);
const START_SECONDS = 1_700_000_000;

/** The plan of client `index`. */
export function serverMixPlan(index: number): ServerMixPlan {
  return SERVER_MIX_PLANS[index % SERVER_MIX_PLANS.length];
}

/** Client `index`'s public socket as the server sees it (11.0.0.0/8, global unicast), as `a.b.c.d:port`. */
export function serverMixClientId(index: number): string {
  const ip = clientIp(index);
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}:${clientPort(index)}`;
}

function clientIp(index: number): number {
  return (0x0b000000 + index + 1) >>> 0;
}

function clientPort(index: number): number {
  return 40000 + (index % 1000);
}

/** (time, client, step) of every packet, in time order. */
interface Schedule {
  times: Float64Array;
  clients: Int32Array;
  steps: Uint8Array;
}

const STEPS: Record<ServerMixPlan, readonly number[]> = {
  relay: [0, 0.05, 1, 1.1, 1.1001],
  offline: [0, 4, 8],
  retry: [0, 4, 4.05],
};

function schedule(clients: number, spread: number): Schedule {
  const events: { t: number; client: number; step: number }[] = [];
  for (let i = 0; i < clients; i++) {
    const base = (i * spread) / clients;
    STEPS[serverMixPlan(i)].forEach((offset, step) => events.push({ t: base + offset, client: i, step }));
  }
  events.sort((a, b) => a.t - b.t || a.client - b.client || a.step - b.step);
  return {
    times: Float64Array.from(events, (e) => e.t),
    clients: Int32Array.from(events, (e) => e.client),
    steps: Uint8Array.from(events, (e) => e.step),
  };
}

function nonce(index: number, round: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, index);
  view.setUint32(4, round + 1);
  return out;
}

/** The UDP datagram (endpoints and Teredo payload) of one step of a client's plan. */
function datagram(index: number, step: number): { srcIp: number; srcPort: number; dstIp: number; dstPort: number; payload: Uint8Array } {
  const ip = clientIp(index);
  const port = clientPort(index);
  const toServer = (payload: Uint8Array) => ({ srcIp: ip, srcPort: port, dstIp: SERVER, dstPort: 3544, payload });
  const toClient = (payload: Uint8Array) => ({ srcIp: SERVER, srcPort: 3544, dstIp: ip, dstPort: port, payload });
  const me = encodeTeredoAddress({ server: SERVER, mappedIp: ip, mappedPort: port, cone: false });
  const ra = (round: number) =>
    toClient(routerAdvertisement({ src: SERVER_LINK_LOCAL, dst: parseIpv6('fe80::ffff:ffff:fffe')!, prefix: PREFIX, auth: { nonce: nonce(index, round) }, origin: { address: ip, port } }));
  const rs = (round: number) => toServer(routerSolicitation({ cone: false, auth: { nonce: nonce(index, round) } }));
  switch (serverMixPlan(index)) {
    case 'relay':
      if (step === 0) return rs(0);
      if (step === 1) return ra(0);
      if (step === 2) return toServer(echo({ request: true, src: me, dst: HOST, identifier: index & 0xffff, sequence: 1 }));
      if (step === 3) return { srcIp: RELAY, srcPort: RELAY_PORT, dstIp: SERVER, dstPort: 3544, payload: bubble({ src: RELAY_IPV6, dst: me }) };
      return toClient(bubble({ src: RELAY_IPV6, dst: me, origin: { address: RELAY, port: RELAY_PORT } }));
    case 'offline':
      return rs(step);
    case 'retry':
      return step < 2 ? rs(step) : ra(1);
  }
}

/**
 * Writes the mix as Ethernet frames in time order through `onFrame` (fresh bytes each time), and
 * returns the plan of every client, indexed like serverMixClientId.
 */
export function generateServerVantageMix(options: ServerMixOptions, onFrame: (seconds: number, nanos: number, frame: Uint8Array) => void): ServerMixPlan[] {
  const { times, clients, steps } = schedule(options.clients, options.spreadSeconds ?? 10);
  for (let k = 0; k < times.length; k++) {
    const d = datagram(clients[k], steps[k]);
    const frame = encapsulate(buildIpv4Udp(d), { linkType: 1 });
    const whole = Math.floor(times[k]);
    onFrame(START_SECONDS + whole, Math.round((times[k] - whole) * 1e9), frame);
  }
  return Array.from({ length: options.clients }, (_, i) => serverMixPlan(i));
}
