import type { ReportClient } from './report.js';

/**
 * The clients of a report, produced one at a time from the analysis' compact store: a report of
 * a million clients never holds a million objects. Iterate it, index it with `get`, or let
 * JSON.stringify call `toJSON` (which does build the whole array — fine for small reports).
 */
export class ReportClientList implements Iterable<ReportClient> {
  readonly size: number;
  private readonly produce: (index: number) => ReportClient;

  constructor(size: number, produce: (index: number) => ReportClient) {
    this.size = size;
    this.produce = produce;
  }

  static of(clients: readonly ReportClient[]): ReportClientList {
    return new ReportClientList(clients.length, (index) => clients[index]);
  }

  /** The clients of several lists, one after the other. */
  static concat(lists: readonly ReportClientList[]): ReportClientList {
    const starts: number[] = [];
    let size = 0;
    for (const list of lists) {
      starts.push(size);
      size += list.size;
    }
    return new ReportClientList(size, (index) => {
      let at = starts.length - 1;
      while (starts[at] > index) at--;
      return lists[at].get(index - starts[at]);
    });
  }

  get(index: number): ReportClient {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`no client ${index} (${this.size} clients)`);
    return this.produce(index);
  }

  *[Symbol.iterator](): Iterator<ReportClient> {
    for (let i = 0; i < this.size; i++) yield this.produce(i);
  }

  /** Clients for which `keep` holds; only their indexes are remembered. */
  filter(keep: (client: ReportClient) => boolean): ReportClientList {
    const indexes: number[] = [];
    for (let i = 0; i < this.size; i++) if (keep(this.produce(i))) indexes.push(i);
    return new ReportClientList(indexes.length, (index) => this.produce(indexes[index]));
  }

  toJSON(): ReportClient[] {
    return [...this];
  }
}
