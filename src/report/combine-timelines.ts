import type { FindingKind } from '../analysis/finding.js';
import type { Report } from './report.js';
import { ReportClientList } from './report-client-list.js';

/**
 * One report of captures analysed as separate timelines. Every report was built over all the
 * captures (frame references carry the capture's index in the whole report), but knows only the
 * packets of its own: `owners[capture]` is the report that read capture `capture`.
 */
export function combineTimelines(reports: readonly Report[], owners: readonly number[], timelines: number[][]): Report {
  const findingsOmitted: Partial<Record<FindingKind, number>> = {};
  for (const report of reports) {
    for (const [kind, count] of Object.entries(report.findingsOmitted) as [FindingKind, number][]) findingsOmitted[kind] = (findingsOmitted[kind] ?? 0) + count;
  }
  return {
    schema: reports[0].schema,
    captures: owners.map((owner, capture) => reports[owner].captures[capture]),
    clients: ReportClientList.concat(reports.map((report) => report.clients)),
    findings: reports.flatMap((report) => report.findings),
    findingsOmitted,
    timelines,
  };
}
