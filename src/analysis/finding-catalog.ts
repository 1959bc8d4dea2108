/**
 * Severities, most severe first: `--fail-on warning` means that severity and every one before it.
 */
export const SEVERITIES = ['error', 'warning', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

export interface FindingInfo {
  /**
   * The severity a finding of this kind has unless the analysis says otherwise: a few kinds vary
   * on purpose (a symmetric NAT is an error for a client that could not qualify, a warning for one
   * that did), and each such site says so where it reports.
   */
  severity: Severity;
  /** One line for --help, the README table and the JSON schema's description. */
  summary: string;
}

/**
 * Every kind of finding the analysis can report, in report order, like Wireshark's expert-info
 * table: the finding vocabulary, the default severities, the --help text, the JSON schema's enum
 * and the README table all come from here. Kinds are part of the documented report schema: later
 * versions may add kinds, never rename or remove them.
 */
export const FINDING_CATALOG = {
  'symmetric-nat': {
    severity: 'error',
    summary: 'the NAT maps each destination to a new port: Teredo cannot qualify (warning when the client qualified anyway)',
  },
  offline: { severity: 'error', summary: 'Router Solicitations got no Router Advertisement (warning when contact was lost after qualifying)' },
  'missing-relay': { severity: 'error', summary: 'a connectivity test to a native IPv6 host was never answered through any relay' },
  'hole-punch-failed': { severity: 'error', summary: 'a hole punch toward a relay or peer did not complete; the missing step is named' },
  'nonce-mismatch': { severity: 'warning', summary: 'a Router Advertisement answers none of the recent Router Solicitations (spoofed or stale)' },
  'mapping-changed': { severity: 'warning', summary: 'the mapped address changed: NAT rebinding, the Teredo address must change' },
  'address-mismatch': { severity: 'warning', summary: 'the client sends from a Teredo address that does not embed its mapped socket (info behind a symmetric NAT)' },
  'bubble-with-payload': { severity: 'info', summary: 'a bubble carries bytes after the IPv6 header that are not RFC 6081 trailers' },
  'malformed-teredo': { severity: 'warning', summary: 'datagrams that looked like Teredo could not be dissected' },
  'truncated-capture': { severity: 'warning', summary: 'the capture ends early or is damaged; exchanges open then are pending' },
  'client-limit': { severity: 'warning', summary: 'more clients were active at once than --memory-budget (or --max-live-clients) allows; some were judged early' },
  'snap-limited': { severity: 'info', summary: 'frames were cut by the capture\'s snap length: analysed as far as they go, not malformed' },
  'ra-filtered': { severity: 'error', summary: 'Router Advertisements reach the NAT but the client keeps soliciting: inbound filtering, not qualified' },
  'secondary-unanswered': { severity: 'error', summary: 'the probe to the server\'s secondary address went unanswered: qualification cannot complete' },
  'clock-jump': { severity: 'warning', summary: 'timestamps run backwards by more than a second: timings around the jump are unreliable' },
  'double-nat': { severity: 'warning', summary: 'the server saw a private or carrier-grade NAT (100.64.0.0/10) address: a second NAT Teredo cannot traverse' },
} as const satisfies Record<string, FindingInfo>;

export type FindingKind = keyof typeof FINDING_CATALOG;

/** The kinds in catalog order. */
export const FINDING_KINDS: readonly FindingKind[] = Object.keys(FINDING_CATALOG) as FindingKind[];

/** Position of a severity in SEVERITIES: 0 is the most severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isFindingKind(text: string): text is FindingKind {
  return Object.hasOwn(FINDING_CATALOG, text);
}

export function isSeverity(text: string): text is Severity {
  return (SEVERITIES as readonly string[]).includes(text);
}

/** The README table of finding kinds (Markdown), from the catalog. */
export function findingCatalogMarkdown(): string {
  const rows = FINDING_KINDS.map((kind) => `| \`${kind}\` | ${FINDING_CATALOG[kind].severity} | ${FINDING_CATALOG[kind].summary} |`);
  return ['| Finding | Default severity | Meaning |', '|---|---|---|', ...rows].join('\n');
}
