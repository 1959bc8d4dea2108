import { createBackgroundSession, type BackgroundKind } from './background-sessions.js';
import { EventQueue } from './event-queue.js';
import { FrameComposer } from './frame-composer.js';
import { NetworkPlan } from './network-plan.js';
import { Prng } from './prng.js';
import { DONE, type PacketClass, type Session, type TrafficContext } from './session.js';
import { createTeredoClient, emptyTally, type TeredoClientTally } from './teredo-client-session.js';

/**
 * The benchmark's traffic mix: sessions (Teredo clients, DNS lookups, TCP and QUIC flows, …) arrive
 * as Poisson processes and are played in global time order from a heap, so memory holds only the
 * sessions active at once (a few hundred) whatever the number of packets. The simulation runs a
 * warm-up before the capture starts, so the capture opens in the middle of things, as real
 * captures do (flows whose qualification it never saw).
 */

/** Capture time 0: 2024-03-01T12:00:00Z. */
export const MIX_EPOCH = 1_709_294_400;
const WARM_UP_SECONDS = 30;
/** New sessions per second of simulated time. */
const TEREDO_CLIENTS_PER_SECOND = 40;
const BACKGROUND_PER_SECOND: Record<BackgroundKind, number> = { dns: 700, tcp: 45, quic: 12, ipv6: 8, ntp: 20, ping: 10 };

export interface MixTally {
  packets: number;
  byClass: Record<PacketClass, number>;
  /** Frame bytes (without capture record headers). */
  frameBytes: number;
  teredoClients: TeredoClientTally;
  /** Capture time from the first to the last frame, seconds. */
  durationSeconds: number;
}

/** Receives each frame; `frame` is valid only during the call. */
export type MixFrameSink = (seconds: number, nanos: number, frame: Uint8Array, kind: PacketClass) => void;

/**
 * Where the capture is taken. 'network': the uplink of a network with Teredo clients and everything
 * else (the default, data-heavy mix). 'relay': the IPv4 side of a relay service (the plan's eight
 * relay addresses), as its operator captures it: only the frames to or from a relay (clients' data
 * flows, their bubbles, the connectivity-test replies the relays deliver), no background.
 */
export type MixVantage = 'network' | 'relay';

const IPV4_SOURCE_OFFSET = 26;
const IPV4_DESTINATION_OFFSET = 30;

/** Generates exactly `packets` frames of the mix for `seed` and hands them to `sink` in time order. */
export function generateMix(packets: number, seed: number, sink: MixFrameSink, vantage: MixVantage = 'network'): MixTally {
  const prng = new Prng(seed);
  const plan = new NetworkPlan(prng);
  const composer = new FrameComposer(prng);
  const queue = new EventQueue();
  const tally: MixTally = {
    packets: 0,
    byClass: { 'teredo-control': 0, 'teredo-data': 0, background: 0 },
    frameBytes: 0,
    teredoClients: emptyTally(),
    durationSeconds: 0,
  };
  let clientIndex = 0;
  const relayIps = new Set(plan.relays.map((relay) => relay.ip));
  let firstTime = -1;
  let lastTime = 0;
  const warmTally = emptyTally();
  let warm = true;

  const ctx: TrafficContext = {
    prng,
    composer,
    plan,
    emit: (time, length, kind) => {
      if (time < WARM_UP_SECONDS || tally.packets >= packets) return;
      if (vantage === 'relay' && !touchesAny(composer.frame, relayIps)) return;
      const micros = Math.round((time - WARM_UP_SECONDS) * 1e6);
      if (firstTime < 0) firstTime = micros;
      lastTime = micros;
      tally.packets++;
      tally.byClass[kind]++;
      tally.frameBytes += length;
      sink(MIX_EPOCH + Math.floor(micros / 1e6), (micros % 1e6) * 1000, composer.frame.subarray(0, length), kind);
    },
  };

  const spawner = (rate: number, spawn: () => Session & { firstStep(time: number): number }): Session => ({
    step: (time) => {
      const session = spawn();
      const first = session.firstStep(time);
      if (first !== DONE) queue.push(first, session);
      return time + prng.exponential(1 / rate);
    },
  });
  queue.push(0, spawner(TEREDO_CLIENTS_PER_SECOND, () => createTeredoClient(ctx, clientIndex++, warm ? warmTally : tally.teredoClients)));
  if (vantage === 'network') {
    for (const kind of Object.keys(BACKGROUND_PER_SECOND) as BackgroundKind[]) {
      queue.push(0, spawner(BACKGROUND_PER_SECOND[kind], () => createBackgroundSession(ctx, kind)));
    }
  }

  while (tally.packets < packets && queue.size > 0) {
    const time = queue.peekTime();
    warm = time < WARM_UP_SECONDS;
    const session = queue.pop();
    const next = session.step(time);
    if (next !== DONE) queue.push(next, session);
  }
  tally.durationSeconds = (lastTime - Math.max(0, firstTime)) / 1e6;
  return tally;
}

/** Whether the IPv4 frame the composer wrote is from or to one of `ips`. */
function touchesAny(frame: Uint8Array, ips: ReadonlySet<number>): boolean {
  return ips.has(readUint32(frame, IPV4_SOURCE_OFFSET)) || ips.has(readUint32(frame, IPV4_DESTINATION_OFFSET));
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}
