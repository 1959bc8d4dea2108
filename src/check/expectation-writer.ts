import { Document, isScalar, visit } from 'yaml';
import { FINDING_KINDS, type FindingKind } from '../analysis/finding-catalog.js';
import type { Report, ReportClient } from '../report/report.js';
import { failsOn, type FailPolicy } from './fail-policy.js';

/** A trace as `--write-expect` describes it. */
export interface TraceToDescribe {
  /** The path to write, relative to the expectation file's folder. */
  trace: string;
  report: Report;
}

const HEADER = [
  'teredoscope check expectations, written by `teredoscope check --write-expect` from the',
  'analysis of today: review every line before committing (a baseline, not a judgement).',
  'Keys and selectors: docs/ci.md, "Expectation files".',
];

/**
 * The expectation file that today's analysis passes: per trace its client count, its findings per
 * kind, and per client its NAT type, qualification, relays, hole-punch outcomes and finding kinds.
 * A trace whose findings would fail `policy` gets `failOn: none`, since the file pins them instead.
 */
export function writeExpectations(traces: readonly TraceToDescribe[], policy: FailPolicy, format: 'yaml' | 'json'): string {
  const value = { traces: traces.map((trace) => describeTrace(trace, policy)) };
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  const doc = new Document(value);
  // Short lists read best on one line: `relay: [83.170.1.38:32900]`, `findings: []`.
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  doc.commentBefore = HEADER.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

function describeTrace(trace: TraceToDescribe, policy: FailPolicy): Record<string, unknown> {
  const { report } = trace;
  const findings: Partial<Record<FindingKind, number>> = {};
  for (const finding of report.findings) findings[finding.kind] = (findings[finding.kind] ?? 0) + 1;
  for (const [kind, count] of Object.entries(report.findingsOmitted) as [FindingKind, number][]) findings[kind] = (findings[kind] ?? 0) + count;
  const ordered = Object.fromEntries(FINDING_KINDS.filter((kind) => findings[kind] !== undefined).map((kind) => [kind, findings[kind]]));
  const failing = report.findings.some((finding) => failsOn(policy, finding));
  return {
    trace: trace.trace,
    ...(failing ? { failOn: 'none' } : {}),
    clientCount: report.clients.size,
    findings: ordered,
    clients: [...report.clients].map(describeClient),
  };
}

function describeClient(client: ReportClient): Record<string, unknown> {
  return {
    client: client.id,
    natType: client.natType,
    qualified: client.qualified,
    relay: client.relays.length === 0 ? 'none' : client.relays.map((relay) => `${relay.address}:${relay.port}`),
    holePunch: client.holePunches.length === 0 ? 'none' : [...new Set(client.holePunches.map((punch) => punch.outcome))],
    findings: [...client.findings],
  };
}
