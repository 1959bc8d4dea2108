import { NatModel } from './nat-model.js';
import { qualifyMiredo, qualifyRfc4380, qualifyWindows, refresh } from './qualification-procedures.js';
import { NAT_PUBLIC_IP, SERVER, socket } from './scenario-addresses.js';
import type { ScenarioRecorder } from './scenario-recorder.js';
import { RS_SOURCE, TeredoClientSim } from './teredo-client-sim.js';

/** Scenarios about qualification alone. Each takes the recorder of one vantage and plays the exchange. */

const REFRESH_INTERVAL = 30;

/** Address-restricted NAT: the cone RAs from the secondary are dropped, the secondary probe shows the same mapping. */
export function restricted(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 1);
  const { end } = qualifyRfc4380(client, 0);
  refresh(client, end + REFRESH_INTERVAL, RS_SOURCE.windows);
}

/** Symmetric NAT: a new public port per destination, so the two server addresses see different mappings. */
export function symmetric(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 2);
  qualifyRfc4380(client, 0);
}

/** The server never answers: three cone RSs, three plain RSs, no RA. */
export function offline(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 3);
  qualifyRfc4380(client, 0, { serverDown: true });
}

/** Full-cone NAT; before the real answer to the first cone RS, a stale RA with another nonce arrives. */
export function nonceMismatch(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'endpoint-independent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:40000'), SERVER, 4);
  qualifyRfc4380(client, 0, { staleRaBeforeFirst: true });
}

/** Windows Vista+ qualification (no cone probe, both server addresses at once) behind a port-restricted NAT, then a refresh. */
export function windows(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-and-port-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.10:50123'), SERVER, 5, 0x2c35);
  const { end } = qualifyWindows(client, 0);
  refresh(client, end + REFRESH_INTERVAL, RS_SOURCE.windows);
}

/** Miredo qualification (one plain RS, RA with MTU option) and two refreshes 30 s apart. */
export function miredo(recorder: ScenarioRecorder): void {
  const nat = new NatModel({ publicIp: NAT_PUBLIC_IP, mapping: 'endpoint-independent', filtering: 'address-dependent' });
  const client = new TeredoClientSim(recorder, nat, socket('192.168.1.20:57204'), SERVER, 6, 0x0a5c);
  const { end } = qualifyMiredo(client, 0);
  refresh(client, end + REFRESH_INTERVAL, RS_SOURCE.miredo);
  refresh(client, end + 2 * REFRESH_INTERVAL, RS_SOURCE.miredo);
}
