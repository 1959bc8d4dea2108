import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../decode/ip-address.js';
import type { Report, ReportClient, ReportSocket } from './report.js';

/** Parsed `--client` argument: an IPv4 (optionally :port) or an IPv6 address. */
export type ClientQuery = { kind: 'ipv4'; address: string; port: number | null } | { kind: 'ipv6'; address: string };

/** Null when the text is no address (the CLI turns that into a usage error). */
export function parseClientQuery(text: string): ClientQuery | null {
  const trimmed = text.trim();
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/.exec(trimmed);
  if (v4 !== null) {
    const address = parseIpv4(v4[1]);
    const port = v4[2] === undefined ? null : Number(v4[2]);
    if (address === null || (port !== null && port > 65535)) return null;
    return { kind: 'ipv4', address: formatIpv4(address), port };
  }
  const bytes = parseIpv6(trimmed.replace(/^\[(.*)\]$/, '$1'));
  return bytes === null ? null : { kind: 'ipv6', address: formatIpv6(bytes) };
}

/**
 * Does the client own this address: one of its endpoints, its mapped socket (its public side) or
 * its Teredo address?
 */
export function clientMatches(client: ReportClient, query: ClientQuery): boolean {
  if (query.kind === 'ipv6') return client.teredoAddress === query.address;
  const hit = (s: ReportSocket | null): boolean => s !== null && s.address === query.address && (query.port === null || s.port === query.port);
  return client.endpoints.some(hit) || hit(client.mapped);
}

/**
 * The report restricted to the clients matching any of the queries and their findings (capture-wide findings stay).
 * Client ids are unique in a report: all its captures are one analysis, and a finding of a client
 * may lie in another capture than the client's first frame.
 */
export function filterReportByClient(report: Report, query: ClientQuery | readonly ClientQuery[]): Report {
  const queries: readonly ClientQuery[] = Array.isArray(query) ? query : [query as ClientQuery];
  const clients = report.clients.filter((client) => queries.some((q) => clientMatches(client, q)));
  const kept = new Set<string>();
  for (const client of clients) kept.add(client.id);
  return {
    ...report,
    clients,
    findings: report.findings.filter((finding) => finding.client === null || kept.has(finding.client)),
  };
}
