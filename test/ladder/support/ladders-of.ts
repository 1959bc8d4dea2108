import { buildReport } from '../../../src/report/build-report.js';
import type { Report } from '../../../src/report/report.js';
import { collectLadders } from '../../../src/cli/ladder-pass.js';
import type { ClientLadder } from '../../../src/ladder/ladder-step.js';
import type { LadderBuilderOptions } from '../../../src/ladder/ladder-builder.js';
import { analyzeCapture } from '../../analysis/support/analyze-capture.js';

export interface LaddersOf {
  report: Report;
  ladders: ClientLadder[];
}

/** The analysis of one capture and its ladders, as `analyze --ladder` builds them. */
export async function laddersOf(file: string, options: LadderBuilderOptions = {}): Promise<LaddersOf> {
  const { stream, analysis } = await analyzeCapture(file);
  const report = buildReport({
    captures: [{ file, format: stream.summary?.format ?? null, packets: stream.frames, teredoPackets: stream.teredoPackets, truncated: stream.error !== null }],
    analysis,
  });
  const { ladders } = await collectLadders([file], report.clients, options);
  return { report, ladders };
}

/** `frame from→to label` per step, party titles instead of indexes: easy to read in a failing test. */
export function stepLines(ladder: ClientLadder): string[] {
  return ladder.steps.map((step) => `${step.frame ?? '-'} ${ladder.parties[step.from].title}→${ladder.parties[step.to].title} ${step.label}${step.failure !== null ? ` [${step.failure}]` : ''}`);
}
