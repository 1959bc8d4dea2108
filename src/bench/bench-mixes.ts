import { generateServerMix, type ServerMixTally } from './server-mix.js';
import { generateMix, type MixFrameSink, type MixTally } from './traffic-generator.js';

/**
 * The workloads of `npm run bench`, one per kind of capture that users take:
 * - data-heavy: a network's uplink with Teredo clients among everything else (issue 4's mix);
 * - server-1k / server-10k / server-50k: a Teredo server's two addresses with that many clients
 *   live at once (qualifications, 30 s refreshes, forwarded bubbles; issue 13);
 * - relay: a relay service's IPv4 side (its clients' flows, bubbles and connectivity tests).
 */
export const MIX_IDS = ['data-heavy', 'server-1k', 'server-10k', 'server-50k', 'relay'] as const;
export type MixId = (typeof MIX_IDS)[number];

export interface MixDefinition {
  id: MixId;
  title: string;
  /** Packets in the capture by default, and with --quick. */
  packets: number;
  quickPackets: number;
  /** Clients live at once (server mixes), else null. */
  liveClients: number | null;
}

export const MIXES: Record<MixId, MixDefinition> = {
  'data-heavy': { id: 'data-heavy', title: 'network uplink, data-heavy', packets: 2_000_000, quickPackets: 200_000, liveClients: null },
  'server-1k': { id: 'server-1k', title: 'Teredo server, 1,000 live clients', packets: 1_000_000, quickPackets: 200_000, liveClients: 1_000 },
  'server-10k': { id: 'server-10k', title: 'Teredo server, 10,000 live clients', packets: 1_000_000, quickPackets: 200_000, liveClients: 10_000 },
  'server-50k': { id: 'server-50k', title: 'Teredo server, 50,000 live clients', packets: 1_000_000, quickPackets: 200_000, liveClients: 50_000 },
  relay: { id: 'relay', title: 'Teredo relay service', packets: 1_000_000, quickPackets: 200_000, liveClients: null },
};

export type AnyMixTally = MixTally | ServerMixTally;

export function isMixId(text: string): text is MixId {
  return (MIX_IDS as readonly string[]).includes(text);
}

/** Generates `packets` frames of `mix` for `seed` into `sink`. */
export function generateBenchMix(mix: MixId, packets: number, seed: number, sink: MixFrameSink): AnyMixTally {
  const live = MIXES[mix].liveClients;
  if (live !== null) return generateServerMix(packets, seed, live, sink);
  return generateMix(packets, seed, sink, mix === 'relay' ? 'relay' : 'network');
}

/** What the capture holds, in one or two lines (for the bench's output and docs/performance.md). */
export function describeMix(mix: MixId, tally: AnyMixTally): string {
  const share = (n: number): string => `${((100 * n) / tally.packets).toFixed(1)} %`;
  if ('liveClients' in tally) {
    const c = tally.clients;
    return (
      `${tally.liveClients.toLocaleString('en-US')} clients live at once, ${c.clients.toLocaleString('en-US')} in all over ${tally.durationSeconds.toFixed(0)} s ` +
      `(cone ${c.byNat.cone}, restricted ${c.byNat.restricted}, symmetric ${c.byNat.symmetric}, offline ${c.byNat.offline}; ` +
      `cone-probing Windows ${c.byProcedure['windows-cone-probe']}, Windows ${c.byProcedure.windows}, Miredo ${c.byProcedure.miredo}; ${c.sharedNat} behind one shared NAT), ` +
      `${c.refreshes.toLocaleString('en-US')} refreshes, ${c.forwardedBubbles.toLocaleString('en-US')} forwarded bubbles; all Teredo control`
    );
  }
  const t = tally;
  const nat = t.teredoClients.byNat;
  return (
    `${mix === 'relay' ? 'relay-side frames only: ' : ''}Teredo data ${share(t.byClass['teredo-data'])}, Teredo control ${share(t.byClass['teredo-control'])}, other traffic ${share(t.byClass.background)}; ` +
    `${t.teredoClients.clients.toLocaleString('en-US')} clients starting in the capture (cone ${nat.cone}, restricted ${nat.restricted}, symmetric ${nat.symmetric}, offline ${nat.offline}), ` +
    `${t.teredoClients.punches} hole punches (${t.teredoClients.failedPunches} failed, ${t.teredoClients.missingRelays} without relay), ${t.teredoClients.flows} data flows, ${t.durationSeconds.toFixed(0)} s`
  );
}
