import { FINDING_CATALOG, type FindingKind } from '../analysis/finding-catalog.js';
import type { Report } from '../report/report.js';
import type { CheckOutcome, TraceVerdict } from './check-result.js';
import { evaluateExpectation, type LabelledOutcome } from './expectation-eval.js';
import type { TraceExpectation } from './expectation.js';
import { failsOn, type FailPolicy } from './fail-policy.js';

/** A trace as read and analysed, before it is judged. */
export interface AnalysedTrace {
  name: string;
  files: string[];
  report: Report | null;
  seconds: number;
  readExit: 0 | 3 | 4;
  /** What went wrong reading it (one line each), empty when it was read completely. */
  readProblems: string[];
}

/**
 * Judges one trace on its own: it was read completely, every expectation holds, and no finding of
 * a kind or severity the policy fails on occurs.
 */
export function judgeTrace(trace: AnalysedTrace, policy: FailPolicy, expectation: TraceExpectation | null): TraceVerdict {
  const labelled: LabelledOutcome[] = [];
  const read = trace.readExit === 0;
  labelled.push({
    client: null,
    kind: null,
    frames: [],
    displayFilter: null,
    where: null,
    label: 'read',
    source: 'read',
    passed: read,
    severity: 'error',
    message: read ? `${trace.name}: read completely` : `${trace.name}: ${readProblemText(trace)}`,
  });
  const report = trace.report;
  const findingCounts: Partial<Record<FindingKind, number>> = {};
  if (report !== null) {
    for (const finding of report.findings) findingCounts[finding.kind] = (findingCounts[finding.kind] ?? 0) + 1;
    for (const [kind, count] of Object.entries(report.findingsOmitted) as [FindingKind, number][]) findingCounts[kind] = (findingCounts[kind] ?? 0) + count;
    if (expectation !== null) labelled.push(...evaluateExpectation(expectation, { name: trace.name, report, findingCounts }));
    labelled.push(...findingOutcomes(trace.name, report, policy));
  }
  const outcomes = uniquelyNamed(labelled);
  return {
    name: trace.name,
    files: trace.files,
    report,
    seconds: trace.seconds,
    readExit: trace.readExit,
    outcomes,
    findingCounts,
    passed: outcomes.every((outcome) => outcome.passed),
  };
}

/** One failure per finding the policy fails on (and one for those the report omitted), or one pass. */
function findingOutcomes(name: string, report: Report, policy: FailPolicy): LabelledOutcome[] {
  const outcomes: LabelledOutcome[] = [];
  for (const finding of report.findings) {
    if (!failsOn(policy, finding)) continue;
    const where = finding.client !== null ? `client ${finding.client}` : 'capture';
    const frames = finding.frames.length === 0 ? '' : ` frame${finding.frames.length === 1 ? '' : 's'} ${finding.frames.join(', ')}`;
    outcomes.push({
      label: `${finding.kind} ${where}${finding.frames.length > 0 ? ` frame ${finding.frames[0]}` : ''}`,
      source: 'finding',
      passed: false,
      message: `${name}: ${finding.kind} (${finding.severity}), ${where}${frames}: ${finding.message}`,
      client: finding.client,
      kind: finding.kind,
      severity: finding.severity,
      frames: finding.frames,
      displayFilter: finding.displayFilter,
      where: null,
    });
  }
  for (const [kind, count] of Object.entries(report.findingsOmitted) as [FindingKind, number][]) {
    // Omitted findings are judged by their kind's default severity: the report no longer has their own.
    if (count === 0 || !failsOn(policy, { kind, severity: FINDING_CATALOG[kind].severity })) continue;
    outcomes.push({
      label: `${kind} not listed`,
      source: 'finding',
      passed: false,
      message: `${name}: ${count} more ${kind} finding${count === 1 ? '' : 's'} not listed in the report`,
      client: null,
      kind,
      severity: FINDING_CATALOG[kind].severity,
      frames: [],
      displayFilter: null,
      where: null,
    });
  }
  if (outcomes.length === 0) {
    outcomes.push({
      label: `no findings failing ${policy.text}`,
      source: 'finding',
      passed: true,
      message: `${name}: no finding fails --fail-on ${policy.text}`,
      client: null,
      kind: null,
      severity: 'info',
      frames: [],
      displayFilter: null,
      where: null,
    });
  }
  return outcomes;
}

/** The problems, without the trace's name where they start with it (they name their file). */
function readProblemText(trace: AnalysedTrace): string {
  const prefix = `${trace.name}: `;
  const problems = trace.readProblems.map((problem) => (problem.startsWith(prefix) ? problem.slice(prefix.length) : problem));
  return problems.join('; ') || (trace.readExit === 3 ? 'unreadable' : 'truncated or damaged');
}

/** GitLab drops test cases whose names repeat: a repeated label gets " #2", " #3", … */
function uniquelyNamed(outcomes: readonly LabelledOutcome[]): CheckOutcome[] {
  const seen = new Map<string, number>();
  return outcomes.map(({ label, ...outcome }) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return { ...outcome, name: count === 1 ? label : `${label} #${count}` };
  });
}
