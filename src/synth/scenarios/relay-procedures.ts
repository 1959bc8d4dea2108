import { bubble, echo, ipv6Data } from '../teredo-payload.js';
import type { Socket } from './scenario.js';
import { server, SERVER_DELAY, type TeredoClientSim } from './teredo-client-sim.js';

export interface RelaySim {
  socket: Socket;
  linkLocal: Uint8Array;
}

/** How far the relay side of a connectivity test gets. */
export interface RelayBehaviour {
  /** null: no relay ever answers the host's echo reply (missing relay). */
  relay: RelaySim | null;
  /** The relay delivers the queued echo reply once the client has punched. */
  delivers: boolean;
  /** Tests sent (the first plus retries 2 s apart) while nothing is delivered. */
  attempts: number;
}

const RETRY = 2;
/** Server → native host → relay → server, as in wireshark-teredo frames 30–31. */
const RELAY_BUBBLE_DELAY = 0.3;
const RELAY_DELIVERY_DELAY = 0.16;

/**
 * RFC 4380 §5.2.9 / §5.4.1 (protocol notes §5a): the client's echo request to a native host via
 * its server; the relay near the host queues the reply and sends a bubble via the client's server
 * (origin indication = relay socket); the client bubbles straight to the relay (opening its NAT);
 * the relay delivers. Returns the time after the last packet, and whether the reply arrived.
 */
export function connectivityTest(client: TeredoClientSim, start: number, host: Uint8Array, behaviour: RelayBehaviour): { delivered: boolean; end: number } {
  const address = client.requireAddress();
  let t = start;
  for (let attempt = 0; attempt < behaviour.attempts; attempt++) {
    const test = client.echoRequest(host);
    client.send(t, server(client.server.primary), test.payload, 'echo-test');
    const relay = behaviour.relay;
    if (relay !== null) {
      const relayBubble = bubble({ src: relay.linkLocal, dst: address, hopLimit: 0, origin: { address: relay.socket.ip, port: relay.socket.port } });
      client.receive(t + RELAY_BUBBLE_DELAY, server(client.server.primary), relayBubble, 'relay-bubble');
      client.send(t + RELAY_BUBBLE_DELAY + 0.0002, relay.socket, client.bubbleTo(relay.linkLocal, 0), 'client-bubble');
      if (behaviour.delivers) {
        const reply = echo({ request: false, src: host, dst: address, identifier: test.identifier, sequence: test.sequence, data: new Uint8Array(4), hopLimit: 58 });
        const end = t + RELAY_BUBBLE_DELAY + RELAY_DELIVERY_DELAY;
        const delivered = client.receive(end, relay.socket, reply, 'relay-delivery');
        return { delivered, end };
      }
    }
    t += RETRY;
  }
  return { delivered: false, end: t };
}

/** TCP over Teredo through the relay after a successful punch: `count` request/answer pairs. */
export function relayTraffic(client: TeredoClientSim, start: number, relay: RelaySim, host: Uint8Array, count: number, label = 'relay-data'): number {
  let t = start;
  for (let i = 0; i < count; i++) {
    client.send(t, relay.socket, client.tcpTo(host, `GET /${i} HTTP/1.1\r\n\r\n`), label);
    const answer = new TextEncoder().encode('HTTP/1.1 200 OK\r\n\r\n');
    client.receive(t + 2 * SERVER_DELAY, relay.socket, tcpFrom(host, client.requireAddress(), answer), label);
    t += 0.5;
  }
  return t;
}

function tcpFrom(src: Uint8Array, dst: Uint8Array, payload: Uint8Array): Uint8Array {
  return ipv6Data({ src, dst, protocol: 6, srcPort: 80, dstPort: 1286, payload });
}
