import type { Report } from '../../report/report.js';
import { ladderMermaidLines } from './ladder-mermaid.js';
import type { ReportRenderOptions } from './renderer-registry.js';

/** `analyze --format mermaid`: one diagram per client, each after a `%%` line naming it (Mermaid ignores those). */
export function* reportMermaidLines(_report: Report, options: ReportRenderOptions): Generator<string> {
  for (const [index, ladder] of (options.ladders ?? []).entries()) {
    if (index > 0) yield '';
    yield `%% teredoscope ladder of client ${ladder.client}`;
    yield* ladderMermaidLines(ladder, { severalCaptures: options.severalCaptures });
  }
}
