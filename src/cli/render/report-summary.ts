import type { Severity } from '../../analysis/finding.js';
import type { Report, ReportClient } from '../../report/report.js';
import { frameList } from './report-text.js';

export interface TerminalSummary {
  lines: string[];
  /** Indexes of the worst clients, worst first (at most the rows asked for). */
  worst: number[];
}

const SEVERITY_WEIGHT: Record<Severity, number> = { error: 100, warning: 10, info: 1 };

/**
 * What a person reads first on a terminal: clients per state and NAT type, findings per kind with
 * an example each, and which clients are worst off. One pass over the clients, keeping only the
 * `rows` worst: linear in the clients.
 */
export function terminalSummary(report: Report, severities: ReadonlyMap<string, Severity>, rows: number): TerminalSummary {
  const states = new Map<string, number>();
  const nats = new Map<string, number>();
  const top: { score: number; index: number }[] = [];
  let index = 0;
  for (const client of report.clients) {
    bump(states, client.state);
    bump(nats, client.console !== null ? `${client.natType} (${client.console})` : client.natType);
    const score = badness(client, severities);
    if (score > 0 && (top.length < rows || score > top[top.length - 1].score)) {
      top.push({ score, index });
      top.sort((a, b) => b.score - a.score || a.index - b.index);
      if (top.length > rows) top.pop();
    }
    index++;
  }
  const total = report.clients.size;
  const lines = [`${total} Teredo client${total === 1 ? '' : 's'}${total > 0 ? `: ${counted(states)}` : ''}`];
  if (total > 0) lines.push(`NAT types: ${counted(nats)}`);
  const kinds = new Map<string, { count: number; example: string }>();
  for (const finding of report.findings) {
    const seen = kinds.get(finding.kind);
    if (seen !== undefined) seen.count++;
    else kinds.set(finding.kind, { count: 1, example: `${finding.client !== null ? `client ${finding.client}, ` : ''}frame${finding.frames.length === 1 ? '' : 's'} ${frameList(finding.frames.slice(0, 8))}` });
  }
  for (const [kind, count] of Object.entries(report.findingsOmitted)) {
    const seen = kinds.get(kind);
    if (seen !== undefined) seen.count += count ?? 0;
  }
  if (kinds.size > 0) {
    lines.push('Findings by kind:');
    for (const [kind, { count, example }] of kinds) lines.push(`  ${String(count).padStart(6)} ${kind}  e.g. ${example}`);
  }
  // Clients with nothing wrong still fill the rows left, in report order.
  for (let i = 0; i < total && top.length < rows; i++) if (!top.some((t) => t.index === i)) top.push({ score: 0, index: i });
  return { lines, worst: top.map((t) => t.index) };
}

function badness(client: ReportClient, severities: ReadonlyMap<string, Severity>): number {
  let score = client.state === 'offline' ? 1000 : client.state === 'probe' ? 300 : 0;
  if (client.natType === 'symmetric') score += 200;
  for (const kind of client.findings) score += SEVERITY_WEIGHT[severities.get(`${client.id} ${kind}`) ?? 'warning'];
  for (const punch of client.holePunches) if (punch.outcome === 'failed') score += 5;
  return score;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function counted(map: ReadonlyMap<string, number>): string {
  return [...map].sort((a, b) => b[1] - a[1]).map(([key, count]) => `${count} ${key}`).join(', ');
}
