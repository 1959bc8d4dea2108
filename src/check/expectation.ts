import type { NatType, PunchOutcome } from '../analysis/client-summary.js';
import type { FindingKind } from '../analysis/finding.js';
import type { ClientQuery } from '../report/client-filter.js';
import type { SourceLine } from './check-result.js';
import type { FailPolicy } from './fail-policy.js';
import type { Selector } from './selector.js';

/**
 * An expectation file (YAML or JSON), modelled on the `test.yaml` of Suricata's regression suite:
 * per trace, checks that must all hold.
 *
 *   traces:
 *     - trace: fixtures/real/wireshark-teredo.pcap   # relative to the expectation file
 *       failOn: none                                  # optional; --fail-on on the command line wins
 *       clientCount: 1                                # or {min: 1, max: 3}
 *       findings: {}                                  # exact count per kind; kinds not named: none
 *       clients:                                      # per-client shorthands
 *         - client: 192.168.2.16:3797                 # IPv4[:port] (inside or mapped) or Teredo IPv6
 *           natType: cone
 *           qualified: true
 *           relay: 83.170.1.38:32900                  # listed among its relays; a list: exactly these; none
 *           holePunch: success                        # the outcomes of its hole punches; a list; none
 *           findings: []                              # exactly these kinds
 *       checks:                                       # dotted-path selectors on the report JSON
 *         - clients[?teredoAddress=="2001:0:4137:9e50:8000:f12a:b9c8:2815"].natType == cone
 *         - { select: 'findings[kind=missing-relay]', count: 0 }
 *         - { select: clients, count: { min: 1, max: 3 } }
 *         - { select: 'clients[0].mapped', exists: true }
 *
 * Unknown keys are an error naming the file, the line and the key, never ignored.
 */
export interface ExpectationFile {
  file: string;
  traces: TraceExpectation[];
}

/** Inclusive bounds; an exact count has min === max. */
export interface CountBound {
  min: number | null;
  max: number | null;
}

export interface TraceExpectation {
  /** The trace as written in the file, and resolved against the file's folder. */
  trace: string;
  resolved: string;
  failOn: FailPolicy | null;
  clientCount: CountBound | null;
  /** Exact finding counts; null when the file says nothing of findings. */
  findings: Partial<Record<FindingKind, number>> | null;
  clients: ClientExpectation[];
  checks: SelectorCheck[];
  where: SourceLine;
  /** Line of each trace-level shorthand, for messages. */
  fieldLines: Partial<Record<'clientCount' | 'findings', number>>;
}

export type ClientField =
  | { field: 'natType'; value: NatType; where: SourceLine }
  | { field: 'qualified'; value: boolean; where: SourceLine }
  /** `exactly`: the relay list is these sockets; else each of them is among the relays. */
  | { field: 'relay'; sockets: string[]; exactly: boolean; where: SourceLine }
  | { field: 'holePunch'; outcomes: PunchOutcome[]; where: SourceLine }
  | { field: 'findings'; kinds: FindingKind[]; where: SourceLine };

export interface ClientExpectation {
  client: string;
  query: ClientQuery;
  fields: ClientField[];
  where: SourceLine;
}

export interface SelectorCheck {
  /** As written (or rebuilt from its parts), to name the check. */
  text: string;
  selector: Selector;
  equals?: { value: unknown };
  notEquals?: { value: unknown };
  matches?: RegExp;
  count?: CountBound;
  exists?: boolean;
  where: SourceLine;
}

/** An expectation file that cannot be used: exit 2, naming the file, the line and the key. */
export class ExpectationError extends Error {
  readonly file: string;
  readonly line: number;
  readonly key: string | null;

  constructor(file: string, line: number, key: string | null, message: string) {
    super(`${file}:${line}: ${key !== null ? `'${key}': ` : ''}${message}`);
    this.file = file;
    this.line = line;
    this.key = key;
  }
}
