import { EventQueue } from './event-queue.js';
import { FrameComposer } from './frame-composer.js';
import { NetworkPlan } from './network-plan.js';
import { Prng } from './prng.js';
import { createServerClient, emptyServerClientTally, type ServerClientTally } from './server-client-session.js';
import { DONE, type PacketClass, type Session, type TrafficContext } from './session.js';
import { MIX_EPOCH, type MixFrameSink } from './traffic-generator.js';

/**
 * The capture a Teredo server's operator takes: its two public addresses, every packet an RS, an
 * RA or a bubble forwarded for a relay. About `liveClients` clients are up at any moment: the
 * capture opens on that many (most already qualified, some qualifying), clients leave after an
 * exponentially distributed stay and new ones arrive at the rate that keeps the number steady, so a
 * long capture holds many times more distinct clients than are live at once. A share of them sits
 * behind one NAT address (a carrier-grade NAT), each on a port of its own.
 */

export interface ServerMixTally {
  packets: number;
  byClass: Record<PacketClass, number>;
  frameBytes: number;
  liveClients: number;
  clients: ServerClientTally;
  durationSeconds: number;
}

/** Mean stay of a client, seconds: the capture sees clients come and go within minutes. */
const MEAN_STAY = 600;
const QUALIFIED_AT_START = 0.9;
const SHARED_NAT_SHARE = 0.05;
/** The shared NAT's one public address, in a /8 no other host of the plan uses (not 100.64/10: that is CGN space, a double NAT). */
const SHARED_NAT_IP = 0x05400001;
const FIRST_SHARED_PORT = 1025;

export function generateServerMix(packets: number, seed: number, liveClients: number, sink: MixFrameSink): ServerMixTally {
  const prng = new Prng(seed);
  const plan = new NetworkPlan(prng);
  const composer = new FrameComposer(prng);
  const queue = new EventQueue();
  const server = plan.servers[0];
  const tally: ServerMixTally = {
    packets: 0,
    byClass: { 'teredo-control': 0, 'teredo-data': 0, background: 0 },
    frameBytes: 0,
    liveClients,
    clients: emptyServerClientTally(),
    durationSeconds: 0,
  };
  let lastTime = 0;
  const ctx: TrafficContext = {
    prng,
    composer,
    plan,
    emit: (time, length, kind) => {
      if (tally.packets >= packets) return;
      const micros = Math.round(time * 1e6);
      lastTime = micros;
      tally.packets++;
      tally.byClass[kind]++;
      tally.frameBytes += length;
      sink(MIX_EPOCH + Math.floor(micros / 1e6), (micros % 1e6) * 1000, composer.frame.subarray(0, length), kind);
    },
  };

  let clientIndex = 0;
  let sharedPorts = 0;
  const start = (time: number, qualified: boolean): void => {
    const shared = prng.chance(SHARED_NAT_SHARE) ? { ip: SHARED_NAT_IP, port: FIRST_SHARED_PORT + (sharedPorts++ % 64000) } : null;
    const session = createServerClient(ctx, server, { index: clientIndex++, lifetime: prng.exponential(MEAN_STAY), qualified, shared }, tally.clients);
    const first = session.firstStep(time);
    if (first !== DONE) queue.push(first, session);
  };
  for (let i = 0; i < liveClients; i++) start(0, prng.chance(QUALIFIED_AT_START));
  const arrivals: Session = {
    step: (time) => {
      start(time, false);
      return time + prng.exponential(MEAN_STAY / liveClients);
    },
  };
  queue.push(prng.exponential(MEAN_STAY / liveClients), arrivals);

  while (tally.packets < packets && queue.size > 0) {
    const time = queue.peekTime();
    const session = queue.pop();
    const next = session.step(time);
    if (next !== DONE) queue.push(next, session);
  }
  tally.durationSeconds = lastTime / 1e6;
  return tally;
}
