import type { Report } from '../../report/report.js';

/**
 * The report as indented JSON, one line at a time: byte for byte what
 * `JSON.stringify(report, null, 2)` gives, without ever building the whole text — a report with a
 * million clients streams out in bounded memory.
 */
export function* reportJsonLines(report: Report): Generator<string> {
  yield '{';
  yield `  "schema": ${JSON.stringify(report.schema)},`;
  yield* member('captures', report.captures, false);
  yield* arrayMember('clients', report.clients, report.clients.size, false);
  yield* arrayMember('findings', report.findings, report.findings.length, false);
  yield* member('findingsOmitted', report.findingsOmitted, true);
  yield '}';
}

export function renderReportJson(report: Report): string {
  return `${[...reportJsonLines(report)].join('\n')}\n`;
}

function* member(name: string, value: unknown, last: boolean): Generator<string> {
  const lines = JSON.stringify(value, null, 2).split('\n');
  lines[0] = `  ${JSON.stringify(name)}: ${lines[0]}`;
  for (let i = 1; i < lines.length; i++) lines[i] = `  ${lines[i]}`;
  lines[lines.length - 1] += last ? '' : ',';
  yield* lines;
}

const NEWLINES = /\n/g;
const INDENTED_NEWLINE = '\n    ';

function* arrayMember(name: string, items: Iterable<unknown>, count: number, last: boolean): Generator<string> {
  const tail = last ? '' : ',';
  if (count === 0) {
    yield `  ${JSON.stringify(name)}: []${tail}`;
    return;
  }
  yield `  ${JSON.stringify(name)}: [`;
  let index = 0;
  for (const item of items) {
    index++;
    // One pass to indent the item's lines: splitting and joining them cost a third of the report time.
    const text = `    ${JSON.stringify(item, null, 2).replace(NEWLINES, INDENTED_NEWLINE)}`;
    yield index < count ? `${text},` : text;
  }
  yield `  ]${tail}`;
}
