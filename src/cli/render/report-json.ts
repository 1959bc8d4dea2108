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
  yield* member('findingsOmitted', report.findingsOmitted, report.timelines === undefined);
  if (report.timelines !== undefined) yield* member('timelines', report.timelines, true);
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

// An item stringified inside {"a": [item]} comes out indented four spaces, as it stands in the
// report: cutting the wrapper off is cheaper than re-indenting the text (a regex replace copied
// every client's text once more, the largest garbage of a long analysis).
const WRAPPER_HEAD = '{\n  "a": [\n'.length;
const WRAPPER_TAIL = '\n  ]\n}'.length;

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
    const wrapped = JSON.stringify({ a: [item] }, null, 2);
    const text = wrapped.slice(WRAPPER_HEAD, wrapped.length - WRAPPER_TAIL);
    yield index < count ? `${text},` : text;
  }
  yield `  ]${tail}`;
}
