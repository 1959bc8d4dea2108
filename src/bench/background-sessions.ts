import { buildIpv4Udp, fragmentIpv4 } from '../synth/frame-builder.js';
import { ConversationFlow, flowSegments, type FlowShape, type FlowSpec } from './conversation.js';
import { dnsExchange } from './dns-message.js';
import type { Ipv4Ends, InnerSegment } from './frame-composer.js';
import { randomPort } from './network-plan.js';
import { DONE, once, ScriptedSession, type Action, type TrafficContext } from './session.js';

/**
 * Ordinary traffic on the same link, none of it Teredo: DNS lookups (a few with DNSSEC-sized
 * answers that IPv4 fragments), HTTPS over TCP, QUIC (whose short-header first byte 0x40–0x7f
 * sometimes looks like an IPv6 version nibble), native IPv6, NTP and pings.
 */

export type BackgroundKind = 'dns' | 'tcp' | 'quic' | 'ipv6' | 'ntp' | 'ping';

const LOCAL_HOSTS = 20000;
const LARGE_DNS_ANSWERS = 0.004;
const TCP_SHAPES: readonly FlowShape[] = ['download', 'upload', 'interactive'];
const TCP_SHAPE_WEIGHTS = [0.8, 0.05, 0.15];
const TCP_MSS = 1448;
const IPV6_MSS = 1428;

export function createBackgroundSession(ctx: TrafficContext, kind: BackgroundKind): ScriptedSession {
  switch (kind) {
    case 'dns':
      return dns(ctx);
    case 'tcp':
      return tcp(ctx);
    case 'quic':
      return quic(ctx);
    case 'ipv6':
      return ipv6(ctx);
    case 'ntp':
      return ntp(ctx);
    default:
      return ping(ctx);
  }
}

function localEnds(ctx: TrafficContext, remoteIp: number, remotePort: number): { out: Ipv4Ends; back: Ipv4Ends } {
  const localIp = ctx.plan.localHost(ctx.prng.int(LOCAL_HOSTS));
  const localPort = randomPort(ctx.prng);
  return {
    out: { srcIp: localIp, srcPort: localPort, dstIp: remoteIp, dstPort: remotePort },
    back: { srcIp: remoteIp, srcPort: remotePort, dstIp: localIp, dstPort: localPort },
  };
}

function dns(ctx: TrafficContext): ScriptedSession {
  const { prng, composer } = ctx;
  const large = prng.chance(LARGE_DNS_ANSWERS);
  const { query, response } = dnsExchange(prng, large);
  const { out, back } = localEnds(ctx, prng.pick(ctx.plan.resolvers), 53);
  const actions: Action[] = [once(0, (t) => ctx.emit(t, composer.udpWithPayload(out, query, 64), 'background'))];
  const rtt = 0.004 + prng.exponential(0.02);
  if (!large) {
    actions.push(once(rtt, (t) => ctx.emit(t, composer.udpWithPayload(back, response, 57), 'background')));
  } else {
    const packet = buildIpv4Udp({ srcIp: back.srcIp, dstIp: back.dstIp, srcPort: back.srcPort, dstPort: back.dstPort, payload: response, ttl: 57, id: prng.int(65536) });
    fragmentIpv4(packet, 1480).forEach((fragment, i) => {
      actions.push(once(i === 0 ? rtt : 0.000003, (t) => ctx.emit(t, composer.ipv4Packet(fragment), 'background')));
    });
  }
  return new ScriptedSession(actions);
}

function tcp(ctx: TrafficContext): ScriptedSession {
  const { prng, composer } = ctx;
  const { out, back } = localEnds(ctx, prng.pick(ctx.plan.remoteServers), prng.pick([443, 443, 443, 80, 993]));
  const shape = TCP_SHAPES[prng.weighted(TCP_SHAPE_WEIGHTS)];
  const spec: FlowSpec = {
    shape,
    segments: shape === 'interactive' ? prng.range(10, 120) : flowSegments(prng, 8, 4000, 1.3),
    rate: shape === 'interactive' ? prng.range(5, 40) : prng.range(200, 3000),
    rtt: 0.01 + prng.exponential(0.04),
    maxSegment: TCP_MSS,
  };
  const flow = new ConversationFlow(prng, spec, (time, fromClient, flags, seq, ack, length) => {
    const frameLength = composer.tcp4(fromClient ? out : back, seq, ack, flags, length, fromClient ? 64 : 55);
    ctx.emit(time, frameLength, 'background');
  });
  return new ScriptedSession([{ delay: 0, run: (time) => flow.step(time) }]);
}

function quic(ctx: TrafficContext): ScriptedSession {
  const { prng, composer } = ctx;
  const { out, back } = localEnds(ctx, prng.pick(ctx.plan.remoteServers), 443);
  let remaining = flowSegments(prng, 6, 3000, 1.4);
  let sent = 0;
  const rate = prng.range(100, 2000);
  return new ScriptedSession([
    {
      delay: 0,
      run: (time) => {
        const handshake = sent < 3;
        const fromClient = handshake ? sent !== 1 : prng.chance(0.25);
        const length = handshake || !fromClient ? prng.range(1200, 1350) : prng.range(30, 80);
        // Long header (0xc0–0xff) during the handshake, short header (0x40–0x7f) after it.
        const first = handshake ? 0xc0 | prng.int(64) : 0x40 | prng.int(64);
        ctx.emit(time, composer.udpWithBlock(fromClient ? out : back, length, first, fromClient ? 64 : 54), 'background');
        sent++;
        return --remaining > 0 ? prng.exponential(1 / rate) : DONE;
      },
    },
  ]);
}

function ipv6(ctx: TrafficContext): ScriptedSession {
  const { prng, composer } = ctx;
  const local = new Uint8Array(16);
  local.set([0x20, 0x01, 0x0d, 0xb8, 0x10, prng.int(256)]);
  prng.fill(local.subarray(8));
  const remote = prng.pick(ctx.plan.nativeHosts);
  const localPort = randomPort(prng);
  const spec: FlowSpec = { shape: 'download', segments: flowSegments(prng, 8, 3000, 1.3), rate: prng.range(200, 2000), rtt: 0.01 + prng.exponential(0.04), maxSegment: IPV6_MSS };
  const inner: InnerSegment = { src: local, dst: remote, protocol: 6, srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, hopLimit: 64, flowLabel: prng.int(0x100000) };
  const flow = new ConversationFlow(prng, spec, (time, fromClient, flags, seq, ack, length) => {
    inner.src = fromClient ? local : remote;
    inner.dst = fromClient ? remote : local;
    inner.srcPort = fromClient ? localPort : 443;
    inner.dstPort = fromClient ? 443 : localPort;
    inner.hopLimit = fromClient ? 64 : 55;
    inner.seq = seq;
    inner.ack = ack;
    inner.flags = flags;
    ctx.emit(time, composer.ipv6Native(inner, length), 'background');
  });
  return new ScriptedSession([{ delay: 0, run: (time) => flow.step(time) }]);
}

function ntp(ctx: TrafficContext): ScriptedSession {
  const { prng, composer } = ctx;
  const { out, back } = localEnds(ctx, prng.pick(ctx.plan.remoteServers), 123);
  const request = new Uint8Array(48);
  request[0] = 0x23;
  const reply = prng.fill(new Uint8Array(48));
  reply[0] = 0x24;
  return new ScriptedSession([
    once(0, (t) => ctx.emit(t, composer.udpWithPayload(out, request, 64), 'background')),
    once(0.01 + prng.exponential(0.03), (t) => ctx.emit(t, composer.udpWithPayload(back, reply, 52), 'background')),
  ]);
}

function ping(ctx: TrafficContext): ScriptedSession {
  const { prng, composer } = ctx;
  const local = ctx.plan.localHost(prng.int(LOCAL_HOSTS));
  const remote = prng.pick(ctx.plan.remoteServers);
  const identifier = prng.int(65536);
  const rtt = 0.005 + prng.exponential(0.03);
  const actions: Action[] = [];
  const pairs = prng.range(1, 4);
  for (let i = 0; i < pairs; i++) {
    actions.push(once(i === 0 ? 0 : Math.max(0.001, 1 - rtt), (t) => ctx.emit(t, composer.icmpEcho(local, remote, true, identifier, i, 56, 64), 'background')));
    actions.push(once(rtt, (t) => ctx.emit(t, composer.icmpEcho(remote, local, false, identifier, i, 56, 52), 'background')));
  }
  return new ScriptedSession(actions);
}
