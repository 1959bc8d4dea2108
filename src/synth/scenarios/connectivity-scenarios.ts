import { encodeTeredoAddress } from '../../teredo/teredo-address.js';
import { bubble, ipv6Data } from '../teredo-payload.js';
import { NatModel } from './nat-model.js';
import { qualifyMiredo, qualifyRfc4380, qualifyWindows, refresh } from './qualification-procedures.js';
import { connectivityTest, relayTraffic } from './relay-procedures.js';
import { NATIVE_HOST, NAT_PUBLIC_IP, PEER, RELAY, RENUMBERED_PUBLIC_IP, SERVER, socket } from './scenario-addresses.js';
import type { ScenarioRecorder } from './scenario-recorder.js';
import { RS_SOURCE, server, TeredoClientSim } from './teredo-client-sim.js';

/** Scenarios about reaching peers: relays, hole punching, other clients, several clients, rebinding. */

/** Cone client; three connectivity tests to a native host, no relay ever answers. A refresh 30 s later. */
export function missingRelay(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'endpoint-independent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 11);
  const qualified = qualifyRfc4380(client, 0);
  const test = connectivityTest(client, qualified.end + 5, NATIVE_HOST, { relay: null, delivers: false, attempts: 3 });
  refresh(client, test.end + 30, RS_SOURCE.windowsCone);
}

/** Restricted client; the relay bubbles via the server, the client punches, the relay never delivers (three tries). */
export function failedPunch(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 12, 0x2c35);
  const qualified = qualifyWindows(client, 0);
  const test = connectivityTest(client, qualified.end + 5, NATIVE_HOST, { relay: RELAY, delivers: false, attempts: 3 });
  refresh(client, test.end + 30, RS_SOURCE.windows);
}

/**
 * Client-to-client (§5.2.4 case 5, §5.2.6): a direct bubble to the peer's mapped socket (opens
 * the client's NAT toward it), an indirect one via the peer's server; the peer answers straight;
 * then data both ways.
 */
export function clientToClient(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 13, 0x2c35);
  const qualified = qualifyWindows(client, 0);
  const peer = encodeTeredoAddress({ server: PEER.server, mappedIp: PEER.mapped.ip, mappedPort: PEER.mapped.port, flags: 0x1c2b });
  let t = qualified.end + 5;
  client.send(t, PEER.mapped, client.bubbleTo(peer), 'direct-bubble');
  client.send(t + 0.00001, server(PEER.server), client.bubbleTo(peer), 'indirect-bubble');
  t += 0.25;
  client.receive(t, PEER.mapped, bubble({ src: peer, dst: client.requireAddress(), hopLimit: 21 }), 'peer-bubble');
  t += 0.01;
  client.send(t, PEER.mapped, client.tcpTo(peer, 'hello'), 'peer-data');
  client.receive(t + 0.1, PEER.mapped, ipv6Data({ src: peer, dst: client.requireAddress(), protocol: 6, srcPort: 80, dstPort: 1286 }), 'peer-data');
}

/**
 * Three clients behind one port-preserving, address-restricted NAT. The third one's private port
 * is already taken on the public side, so the NAT maps it per destination: symmetric for it alone.
 */
export function threeClients(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-dependent' });
  const a = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 21);
  const b = new TeredoClientSim(recorder, nat, socket('192.168.1.11:41000'), SERVER, 22);
  const c = new TeredoClientSim(recorder, nat, socket('192.168.1.12:40000'), SERVER, 23);
  nat.setMapping(c.privateSocket, 'address-and-port-dependent');
  tagged(recorder, 'a', () => qualifyRfc4380(a, 0));
  tagged(recorder, 'b', () => qualifyRfc4380(b, 20));
  tagged(recorder, 'c', () => qualifyRfc4380(c, 40));
}

/**
 * NAT rebinding: a cone client qualified and talking through a relay loses its mapping; its next
 * packets leave from a new public port with the old Teredo address (the relay drops them) until
 * the refresh RA reports the new mapping; then a new address and a new hole punch.
 */
export function rebinding(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'endpoint-independent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 31);
  const qualified = qualifyRfc4380(client, 0);
  const first = connectivityTest(client, qualified.end + 2, NATIVE_HOST, { relay: RELAY, delivers: true, attempts: 1 });
  const t = relayTraffic(client, first.end + 0.05, RELAY, NATIVE_HOST, 2);
  nat.rebind(client.privateSocket);
  client.send(t + 5, RELAY.socket, client.tcpTo(NATIVE_HOST, 'GET /after-rebinding'), 'stale-data');
  client.send(t + 6, RELAY.socket, client.tcpTo(NATIVE_HOST, 'GET /after-rebinding'), 'stale-data');
  const renewed = refresh(client, qualified.end + 30, RS_SOURCE.windowsCone);
  const second = connectivityTest(client, renewed.end + 0.5, NATIVE_HOST, { relay: RELAY, delivers: true, attempts: 1 });
  relayTraffic(client, second.end + 0.05, RELAY, NATIVE_HOST, 1);
}

/**
 * NAT renumbering while a Miredo-style client is idle: the public address and port both change and
 * the first packet on the new mapping is the periodic refresh RS, with a new nonce and no RFC 5991
 * random bits to compare. Outside the NAT only the timing links the two mappings.
 */
export function idleRebinding(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'endpoint-independent', preservePorts: false });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 37);
  const qualified = qualifyMiredo(client, 0);
  const first = connectivityTest(client, qualified.end + 2, NATIVE_HOST, { relay: RELAY, delivers: true, attempts: 1 });
  relayTraffic(client, first.end + 0.05, RELAY, NATIVE_HOST, 2);
  nat.renumber(RENUMBERED_PUBLIC_IP);
  const renewed = refresh(client, qualified.end + 30, RS_SOURCE.miredo);
  const second = connectivityTest(client, renewed.end + 0.5, NATIVE_HOST, { relay: RELAY, delivers: true, attempts: 1 });
  relayTraffic(client, second.end + 0.05, RELAY, NATIVE_HOST, 1);
}

/** Runs `play` with every label it records prefixed by `<tag>:` (per-client labels in multi-client scenarios). */
function tagged<T>(recorder: ScenarioRecorder, tag: string, play: () => T): T {
  recorder.labelPrefix = `${tag}:`;
  try {
    return play();
  } finally {
    recorder.labelPrefix = '';
  }
}
