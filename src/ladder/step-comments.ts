import type { ReportFinding } from '../report/report.js';
import { stepText, type ClientLadder } from './ladder-step.js';

/** What every comment teredoscope writes starts with, for `frame.comment contains "teredoscope"`. */
export const COMMENT_PREFIX = 'teredoscope: ';
export const COMMENT_DISPLAY_FILTER = 'frame.comment contains "teredoscope"';

/**
 * Packet comments by frame: each step names its packet ("teredoscope: qualification: RS cone probe
 * to primary 65.55.158.80, nonce …"), a data run its first packet, a step that never came the packet
 * before it, and each finding every frame that proves it. Frames are those of one capture (the
 * report's `frames`).
 */
export function stepComments(ladders: Iterable<ClientLadder>, findings: Iterable<ReportFinding>): Map<number, string[]> {
  const comments = new Map<number, string[]>();
  const add = (frame: number, text: string): void => {
    const list = comments.get(frame);
    if (list === undefined) comments.set(frame, [COMMENT_PREFIX + text]);
    else if (!list.includes(COMMENT_PREFIX + text)) list.push(COMMENT_PREFIX + text);
  };
  for (const ladder of ladders) {
    let previous: number | null = null;
    for (const step of ladder.steps) {
      const frame = step.frame ?? previous;
      if (frame === null) continue;
      const range = step.count > 1 && step.lastFrame !== null ? `, frames ${frame}–${step.lastFrame}` : '';
      add(frame, `${stepText(step)}${range}`);
      previous = step.lastFrame ?? previous;
    }
  }
  for (const finding of findings) {
    const text = `finding ${finding.kind} (${finding.severity})${finding.client !== null ? `, client ${finding.client}` : ''}: ${finding.message}`;
    for (const frame of finding.frames) add(frame, text);
  }
  return comments;
}
