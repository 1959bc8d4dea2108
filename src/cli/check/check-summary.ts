import { failuresOf, type CheckRun, type TraceVerdict } from '../../check/check-result.js';
import type { ReportClient } from '../../report/report.js';
import { escapeControl } from '../render/control-escape.js';
import type { CheckRenderOptions } from './check-render-options.js';
import { findingCountsText, traceStatus } from './check-text.js';

/** GitHub refuses a step summary over 1 MiB; the summary stops short of it with a note. */
export const SUMMARY_MAX_BYTES = 1024 * 1024;
/** Mermaid's own limits (maxTextSize 50 000 characters, maxEdges 500): a larger diagram does not render. */
export const MERMAID_MAX_CHARS = 50_000;
export const MERMAID_MAX_LINES = 500;

const STATUS_ICON = { PASS: '✅ PASS', FAIL: '❌ FAIL', ERROR: '⛔ ERROR' } as const;

/**
 * The Markdown summary of `check` (for $GITHUB_STEP_SUMMARY or a GitLab report): a verdict table,
 * then per failing trace its failures with frames and display filters, and a Mermaid ladder for
 * each failing client (drawn by `options.ladder`). Never over `maxBytes` in all: whole blocks
 * are kept until the next would not fit, then a note says what was left out.
 */
export function checkSummaryLines(run: CheckRun, options: CheckRenderOptions, maxBytes = SUMMARY_MAX_BYTES): string[] {
  const blocks = [...summaryBlocks(run, options)];
  const lines: string[] = [];
  let bytes = 0;
  for (const [index, block] of blocks.entries()) {
    const size = block.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
    const note = truncationNote(blocks.length - index, maxBytes);
    const noteSize = Buffer.byteLength(note, 'utf8') + 2;
    const last = index === blocks.length - 1;
    if (bytes + size + (last ? 0 : noteSize) > maxBytes) {
      lines.push('', note);
      break;
    }
    lines.push(...block);
    bytes += size;
  }
  return lines;
}

function truncationNote(left: number, maxBytes: number): string {
  return `> **Summary truncated**: ${left} more block${left === 1 ? '' : 's'} would pass ${Math.round(maxBytes / 1024)} KiB (GitHub's limit for a step summary). Every failure is in the job log and the --junit report.`;
}

/** Each block is kept or dropped whole, so a table row or a Mermaid fence is never cut in two. */
function* summaryBlocks(run: CheckRun, options: CheckRenderOptions): Generator<string[]> {
  const failed = run.traces.filter((trace) => !trace.passed).length;
  yield [`## teredoscope check: ${failed === 0 ? `all ${run.traces.length} traces passed` : `${failed} of ${run.traces.length} traces failed`}`, ''];
  yield ['| Trace | Verdict | Clients | Findings | Expectations held |', '|---|---|---|---|---|'];
  for (const trace of run.traces) yield [tableRow(trace)];
  for (const trace of run.traces) {
    if (trace.passed) continue;
    yield ['', `### ${STATUS_ICON[traceStatus(trace)]} ${code(trace.name)}`, ''];
    for (const failure of failuresOf(trace)) {
      const block = [`- ${markdownText(failure.message)}`];
      if (failure.frames.length > 0) block.push(`  - frames ${failure.frames.join(', ')}`);
      if (failure.displayFilter !== null && failure.displayFilter !== '') block.push(`  - display filter: ${code(failure.displayFilter)}`);
      yield block;
    }
    yield* ladderBlocks(trace, options);
  }
}

function* ladderBlocks(trace: TraceVerdict, options: CheckRenderOptions): Generator<string[]> {
  const report = trace.report;
  if (report === null) return;
  const failing = new Set(failuresOf(trace).flatMap((failure) => (failure.client !== null ? [failure.client] : [])));
  if (failing.size === 0) return;
  const clients: ReportClient[] = [];
  for (const client of report.clients) if (failing.has(client.id)) clients.push(client);
  for (const client of clients) {
    const ladder = options.ladder(report, client);
    if (ladder === null || ladder.length === 0) continue;
    const chars = ladder.reduce((sum, line) => sum + line.length + 1, 0);
    const heading = `#### Client ${code(client.id)}`;
    if (chars > MERMAID_MAX_CHARS || ladder.length > MERMAID_MAX_LINES) {
      yield ['', heading, '', `The ladder (${ladder.length} lines) is too large for Mermaid to render; run \`teredoscope analyze --ladder --client ${client.id}\`.`];
      continue;
    }
    yield ['', heading, '', '```mermaid', ...ladder, '```'];
  }
}

function tableRow(trace: TraceVerdict): string {
  const expectations = trace.outcomes.filter((outcome) => outcome.source === 'expectation');
  const held = expectations.filter((outcome) => outcome.passed).length;
  const cells = [
    code(trace.name),
    STATUS_ICON[traceStatus(trace)],
    trace.report !== null ? String(trace.report.clients.size) : '—',
    findingCountsText(trace.findingCounts),
    expectations.length > 0 ? `${held} of ${expectations.length}` : '—',
  ];
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}

/** Inline code from untrusted text: controls made visible, no backtick to close it early. */
function code(text: string): string {
  return `\`${escapeControl(text).replace(/`/g, "'")}\``;
}

function markdownText(text: string): string {
  return escapeControl(text).replace(/([\\`*_[\]<>|])/g, '\\$1');
}
