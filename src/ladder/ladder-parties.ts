import type { ReportClient } from '../report/report.js';
import type { LadderParty, PartyRole } from './ladder-step.js';

/** A UDP socket as one number (IPv4 × 65536 + port), exact in a double. */
export function socketKey(address: number, port: number): number {
  return address * 65536 + port;
}

const ROLE_ORDER: Readonly<Record<PartyRole, number>> = { client: 0, 'server-primary': 1, 'server-secondary': 2, relay: 3, peer: 4, other: 5 };

/**
 * The columns of one client's ladder, added as steps first name them and put in a fixed order
 * (client, servers, relays, peers, others) at the end, so that the arrows always run the same way.
 */
export class LadderParties {
  private readonly parties: LadderParty[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(client: ReportClient) {
    const nat = client.mapped !== null ? `${client.mapped.address}:${client.mapped.port}` : null;
    const detail = client.vantage === 'inside' ? (nat !== null ? `NAT ${nat}` : 'inside NAT') : 'outside NAT';
    this.add('client', { role: 'client', title: 'client', address: client.id, detail });
  }

  /** Index of the party named `key`, created with `make` the first time. */
  party(key: string, make: () => LadderParty): number {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    return this.add(key, make());
  }

  /** Fills in a detail learned later (a peer's IPv6 seen after its socket). */
  setDetail(index: number, detail: string): void {
    const party = this.parties[index];
    if (party !== undefined && party.detail === '') party.detail = detail;
  }

  /** The parties in display order, and where each old index went. */
  ordered(): { parties: LadderParty[]; indexMap: number[] } {
    const order = this.parties.map((_, index) => index);
    order.sort((a, b) => ROLE_ORDER[this.parties[a].role] - ROLE_ORDER[this.parties[b].role] || a - b);
    const indexMap = new Array<number>(order.length);
    for (const [position, index] of order.entries()) indexMap[index] = position;
    return { parties: order.map((index) => this.parties[index]), indexMap };
  }

  private add(key: string, party: LadderParty): number {
    this.parties.push(party);
    this.byKey.set(key, this.parties.length - 1);
    return this.parties.length - 1;
  }
}
