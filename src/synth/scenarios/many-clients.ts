import { PcapWriter } from '../../capture/pcap-writer.js';
import { buildIpv4Udp, encapsulate } from '../frame-builder.js';
import { routerAdvertisement, routerSolicitation } from '../teredo-payload.js';
import { SCENARIO_EPOCH } from './scenario-recorder.js';
import { SCENARIO_LINK_TYPE, type ScenarioFrame } from './scenario.js';
import { RS_SOURCE, SERVER_DELAY, serverLinkLocal } from './teredo-client-sim.js';
import { SERVER } from './scenario-addresses.js';

export interface ManyClientsOptions {
  clients: number;
  /** Seconds between the starts of consecutive clients (default 0.01: a million clients span 2.8 h). */
  spacingSeconds?: number;
  /** Every n-th client gets no answer (three RSs 4 s apart, off-line); 0 = none (default 1000). */
  offlineEvery?: number;
}

/** Offsets of the retries of an unanswered client, after its first RS. */
const RETRY_OFFSETS = [4, 8];
const ETHERNET = 14;
const IPV4 = 20;
const UDP = 8;
const AUTH_NONCE_OFFSET = ETHERNET + IPV4 + UDP + 4;
const ORIGIN_OFFSET = ETHERNET + IPV4 + UDP + 13;

/**
 * N distinct Teredo clients, seen outside their NATs (each its own public socket): a cone RS and
 * the RA from the secondary server address, a few ms apart — or, for every `offlineEvery`-th
 * client, three unanswered plain RSs 4 s apart. Built for the memory test of the analysis: frames are patched
 * copies of two templates (addresses, ports, nonce, origin indication, IPv4 checksum; UDP
 * checksum 0 = none), so a million clients take seconds to generate.
 *
 * The yielded frame's bytes are reused: consume them before asking for the next frame.
 */
export function* manyClientsFrames(options: ManyClientsOptions): Generator<ScenarioFrame> {
  const spacing = options.spacingSeconds ?? 0.01;
  const offlineEvery = options.offlineEvery ?? 1000;
  const rsPayload = routerSolicitation({ src: RS_SOURCE.windowsCone, cone: true, auth: { nonce: new Uint8Array(8) } });
  // Unanswered clients probe like Windows Vista+: plain RSs, so three of them mean off-line.
  const plainRsPayload = routerSolicitation({ src: RS_SOURCE.windows, cone: false, auth: { nonce: new Uint8Array(8) } });
  const prefix = Uint8Array.of(0x20, 0x01, 0, 0, SERVER.primary >>> 24, (SERVER.primary >>> 16) & 0xff, (SERVER.primary >>> 8) & 0xff, SERVER.primary & 0xff);
  const raPayload = routerAdvertisement({
    src: serverLinkLocal(SERVER.primary),
    dst: RS_SOURCE.windowsCone,
    prefix,
    auth: { nonce: new Uint8Array(8) },
    origin: { address: 0, port: 0 },
  });
  const rs = template(rsPayload);
  const plainRs = template(plainRsPayload);
  const ra = template(raPayload);
  const retries: { time: number; client: number }[][] = RETRY_OFFSETS.map(() => []);
  const frame: ScenarioFrame = { seconds: 0, nanos: 0, data: rs };

  const emit = (data: Uint8Array, time: number): ScenarioFrame => {
    const micros = Math.round(time * 1e6);
    frame.seconds = SCENARIO_EPOCH + Math.floor(micros / 1e6);
    frame.nanos = (micros % 1e6) * 1000;
    frame.data = data;
    return frame;
  };
  function* retriesUpTo(time: number): Generator<ScenarioFrame> {
    for (;;) {
      let next: { time: number; client: number }[] | null = null;
      for (const queue of retries) if (queue.length > 0 && queue[0].time <= time && (next === null || queue[0].time < next[0].time)) next = queue;
      if (next === null) return;
      const retry = next.shift()!;
      patchRs(plainRs, retry.client);
      yield emit(plainRs, retry.time);
    }
  }

  for (let client = 0; client < options.clients; client++) {
    const time = client * spacing;
    yield* retriesUpTo(time);
    if (offlineEvery > 0 && client % offlineEvery === offlineEvery - 1) {
      patchRs(plainRs, client);
      yield emit(plainRs, time);
      RETRY_OFFSETS.forEach((offset, i) => retries[i].push({ time: time + offset, client }));
      continue;
    }
    patchRs(rs, client);
    yield emit(rs, time);
    patchRa(ra, client);
    yield emit(ra, time + Math.min(SERVER_DELAY, spacing / 2));
  }
  yield* retriesUpTo(Number.POSITIVE_INFINITY);
}

/** The same capture as pcap bytes in ~64 KiB pieces (for a stream, without a file). */
export function* manyClientsPcapChunks(options: ManyClientsOptions): Generator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let size = 0;
  const writer = new PcapWriter((chunk) => {
    pending.push(chunk);
    size += chunk.length;
  }, { linkType: SCENARIO_LINK_TYPE });
  for (const frame of manyClientsFrames(options)) {
    writer.write({ seconds: frame.seconds, nanos: frame.nanos, data: frame.data });
    if (size >= 65536) {
      yield Buffer.concat(pending);
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(pending);
}

/** Public socket of client n: one address per client in 11.0.0.0/8, port 1024–61024 but never the server port 3544. */
function clientIp(client: number): number {
  return (0x0b000000 + (client % 0xffffff)) >>> 0;
}

function clientPort(client: number): number {
  const port = 1024 + (client % 60000);
  return port >= 3544 ? port + 1 : port;
}

function template(payload: Uint8Array): Uint8Array {
  return encapsulate(buildIpv4Udp({ srcIp: 0, dstIp: 0, srcPort: 0, dstPort: 0, payload }), { linkType: SCENARIO_LINK_TYPE });
}

function patchRs(frame: Uint8Array, client: number): void {
  writeAddresses(frame, clientIp(client), clientPort(client), SERVER.primary, 3544);
  writeNonce(frame, client);
}

function patchRa(frame: Uint8Array, client: number): void {
  writeAddresses(frame, SERVER.secondary, 3544, clientIp(client), clientPort(client));
  writeNonce(frame, client);
  const port = clientPort(client) ^ 0xffff;
  const ip = (clientIp(client) ^ 0xffffffff) >>> 0;
  frame[ORIGIN_OFFSET + 2] = port >> 8;
  frame[ORIGIN_OFFSET + 3] = port & 0xff;
  writeUint32(frame, ORIGIN_OFFSET + 4, ip);
}

function writeNonce(frame: Uint8Array, client: number): void {
  writeUint32(frame, AUTH_NONCE_OFFSET, 0x5e0000aa);
  writeUint32(frame, AUTH_NONCE_OFFSET + 4, client >>> 0);
}

function writeAddresses(frame: Uint8Array, srcIp: number, srcPort: number, dstIp: number, dstPort: number): void {
  writeUint32(frame, ETHERNET + 12, srcIp);
  writeUint32(frame, ETHERNET + 16, dstIp);
  frame[ETHERNET + 10] = 0;
  frame[ETHERNET + 11] = 0;
  let sum = 0;
  for (let i = 0; i < IPV4; i += 2) sum += (frame[ETHERNET + i] << 8) | frame[ETHERNET + i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const checksum = ~sum & 0xffff;
  frame[ETHERNET + 10] = checksum >> 8;
  frame[ETHERNET + 11] = checksum & 0xff;
  const udp = ETHERNET + IPV4;
  frame[udp] = srcPort >> 8;
  frame[udp + 1] = srcPort & 0xff;
  frame[udp + 2] = dstPort >> 8;
  frame[udp + 3] = dstPort & 0xff;
  frame[udp + 6] = 0;
  frame[udp + 7] = 0;
}

function writeUint32(frame: Uint8Array, offset: number, value: number): void {
  frame[offset] = value >>> 24;
  frame[offset + 1] = (value >>> 16) & 0xff;
  frame[offset + 2] = (value >>> 8) & 0xff;
  frame[offset + 3] = value & 0xff;
}
