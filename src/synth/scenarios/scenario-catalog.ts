import { clientToClient, failedPunch, missingRelay, rebinding, threeClients } from './connectivity-scenarios.js';
import { miredo, nonceMismatch, offline, restricted, symmetric, windows } from './qualification-scenarios.js';
import { ScenarioRecorder } from './scenario-recorder.js';
import type { Scenario, Vantage } from './scenario.js';

interface ScenarioDefinition {
  description: string;
  play: (recorder: ScenarioRecorder) => void;
}

/** Every scenario of issue 3; each exists seen from inside and from outside the client's NAT. */
const DEFINITIONS = {
  restricted: { description: 'RFC 4380 qualification behind an address-restricted NAT (cone probe fails, same mapping from both server addresses), then a refresh', play: restricted },
  symmetric: { description: 'RFC 4380 qualification behind a symmetric NAT: the two server addresses see different mappings, the client gives up', play: symmetric },
  offline: { description: 'The server never answers: three cone and three plain Router Solicitations', play: offline },
  'missing-relay': { description: 'Cone client; three connectivity tests to a native host are never answered through any relay', play: missingRelay },
  'failed-punch': { description: 'Restricted client punches toward the relay that bubbled via the server, but the relay never delivers', play: failedPunch },
  'client-to-client': { description: 'Direct and indirect bubbles to another Teredo client, its direct answer, then data both ways', play: clientToClient },
  'three-clients': { description: 'Three clients behind one NAT; the third is mapped per destination (symmetric) because its port was taken', play: threeClients },
  'nonce-mismatch': { description: 'Cone client; a stale Router Advertisement with a foreign nonce arrives before the real one', play: nonceMismatch },
  rebinding: { description: 'NAT rebinding while talking through a relay: packets with the old Teredo address from a new port, new mapping at the refresh, new hole punch', play: rebinding },
  windows: { description: 'Windows Vista+ qualification: plain RSs from fe80::ffff:ffff:fffe to both server addresses at once, no cone probe', play: windows },
  miredo: { description: 'Miredo qualification: one plain RS from fe80::ffff:ffff:ffff, RA with MTU option, refreshes every 30 s', play: miredo },
} satisfies Record<string, ScenarioDefinition>;

export type ScenarioBase = keyof typeof DEFINITIONS;

export const SCENARIO_BASES = Object.keys(DEFINITIONS) as ScenarioBase[];
export const VANTAGES: readonly Vantage[] = ['inside', 'outside'];

/** `<base>-inside` and `<base>-outside` for every scenario. */
export const SCENARIO_NAMES: readonly string[] = SCENARIO_BASES.flatMap((base) => VANTAGES.map((vantage) => `${base}-${vantage}`));

/** Generates a scenario by name (`restricted-inside`, `rebinding-outside`, …); throws RangeError for an unknown name. */
export function generateScenario(name: string): Scenario {
  const match = /^(.+)-(inside|outside)$/.exec(name);
  const base = match?.[1];
  if (match === null || base === undefined || !(base in DEFINITIONS)) {
    throw new RangeError(`unknown scenario ${JSON.stringify(name)}; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  const definition: ScenarioDefinition = DEFINITIONS[base as ScenarioBase];
  const recorder = new ScenarioRecorder(match[2] as Vantage);
  definition.play(recorder);
  return recorder.build(base, definition.description);
}
