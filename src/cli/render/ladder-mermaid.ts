import type { ClientLadder, LadderStep } from '../../ladder/ladder-step.js';
import { stepFrameText, stepTimeText } from '../../ladder/step-frame-text.js';

export interface LadderMermaidOptions {
  /** Arrows drawn at most (default 40); the rest are summed up in one note. */
  maxArrows?: number;
  /** Several captures in one timeline: frames read `capture:frame`. */
  severalCaptures?: boolean;
}

/**
 * GitHub and GitLab render Mermaid in the browser and give up on large diagrams (GitHub's limit is
 * on the text size, about 50 000 characters, and a long sequence diagram is unreadable anyway):
 * 40 arrows of at most ~160 characters keep a diagram well under it.
 */
export const DEFAULT_MAX_MERMAID_ARROWS = 40;
const MAX_LABEL = 140;

/**
 * One client's ladder as a Mermaid `sequenceDiagram`, small enough to render: at most maxArrows
 * messages and notes. `check --summary` puts it in a ```mermaid block for each failing client.
 */
export function renderLadderMermaid(ladder: ClientLadder, options: LadderMermaidOptions = {}): string {
  return `${[...ladderMermaidLines(ladder, options)].join('\n')}\n`;
}

export function* ladderMermaidLines(ladder: ClientLadder, options: LadderMermaidOptions = {}): Generator<string> {
  const maxArrows = Math.max(1, Math.floor(options.maxArrows ?? DEFAULT_MAX_MERMAID_ARROWS));
  const several = options.severalCaptures === true;
  yield 'sequenceDiagram';
  for (const [index, party] of ladder.parties.entries()) {
    const detail = party.detail !== '' ? `<br/>${mermaidText(party.detail)}` : '';
    yield `  participant P${index} as ${mermaidText(`${party.title} ${party.address}`)}${detail}`;
  }
  let arrows = 0;
  let drawn = 0;
  for (const step of ladder.steps) {
    const lines = stepLines(step, several);
    if (arrows + lines.length > maxArrows - 1 && drawn < ladder.steps.length - 1) break;
    arrows += lines.length;
    drawn += 1;
    yield* lines;
  }
  const left = ladder.steps.length - drawn + ladder.omittedSteps;
  if (left > 0) {
    const rest = ladder.steps.slice(drawn).filter((step) => step.frame !== null);
    const frames = rest.length > 0 ? ` (frames ${stepFrameText(rest[0], several)} to ${stepFrameText(rest[rest.length - 1], several)})` : '';
    yield `  Note over P0: ${mermaidText(`… ${left} more steps${frames} not drawn`)}`;
  }
}

function stepLines(step: LadderStep, several: boolean): string[] {
  const from = `P${step.from}`;
  const to = `P${step.to}`;
  const arrow = step.frame === null ? '-x' : step.bothWays ? '<<->>' : '->>';
  const text = clip(`${stepFrameText(step, several)} · ${stepTimeText(step)} s · ${step.label}`);
  const lines = [`  ${from}${arrow}${to}: ${mermaidText(text)}`];
  if (step.failure !== null) {
    const note = clip(`✕ ${step.failure}${step.failureNote !== '' ? `: ${step.failureNote}` : ''}`);
    lines.push(`  Note over ${step.from === step.to ? from : `${from},${to}`}: ${mermaidText(note)}`);
  }
  return lines;
}

function clip(text: string): string {
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;
}

/**
 * Text safe inside a Mermaid statement: `#` and `;` would start an entity or end the statement,
 * `<`/`>` would be read as HTML, `%%` as a comment, and a line break would end the line. Entity
 * codes (`#35;`) are Mermaid's own escape.
 */
export function mermaidText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[#;<>%\u0000-\u001f\u007f-\u009f\u2028\u2029]/gu, (character) => {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) return ' ';
    return `#${code};`;
  });
}
