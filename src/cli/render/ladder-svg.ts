import type { ClientLadder, LadderStep } from '../../ladder/ladder-step.js';
import { stepFrameText, stepTimeText } from '../../ladder/step-frame-text.js';
import { escapeHtml } from './html-escape.js';

const GUTTER = 110;
const COLUMN = 210;
const HEAD = 70;
const ROW = 38;
const FOOT = 24;
const LABEL_CHARS = 72;
/** Width of a character of the 12 px monospace labels, to place them. */
const CHAR_WIDTH = 7.3;

const PHASE_COLOR: Readonly<Record<LadderStep['phase'], string>> = {
  qualification: '#1b6ca8',
  maintenance: '#6b7280',
  'hole punch': '#1f7a3a',
  data: '#6b7280',
};
const FAILURE_COLOR = '#b91c1c';

/**
 * One client's ladder as an SVG element inline in HTML (no namespace or other URL needed): lifelines, one arrow per
 * step with its label, frame and time, failures in red (dashed for a step that never came). Each
 * arrow has a <title> with the full text, shown as a tooltip. `id` keeps marker ids unique in a page.
 */
export function ladderSvg(ladder: ClientLadder, id: string, options: { severalCaptures?: boolean } = {}): string {
  const several = options.severalCaptures === true;
  const width = GUTTER + ladder.parties.length * COLUMN;
  const height = HEAD + ladder.steps.length * ROW + FOOT;
  const x = (party: number): number => GUTTER + party * COLUMN + COLUMN / 2;
  const out: string[] = [];
  out.push(`<svg class="ladder" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`ladder of client ${ladder.client}`)}">`);
  out.push('<defs>');
  for (const [name, color] of [['ok', '#374151'], ['fail', FAILURE_COLOR]] as const) {
    out.push(`<marker id="${id}-${name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`);
  }
  out.push('</defs>');
  for (const [index, party] of ladder.parties.entries()) {
    const cx = x(index);
    out.push(`<text x="${cx}" y="18" text-anchor="middle" font-weight="bold">${escapeHtml(party.title)}</text>`);
    out.push(`<text x="${cx}" y="36" text-anchor="middle">${escapeHtml(party.address)}</text>`);
    if (party.detail !== '') out.push(`<text x="${cx}" y="52" text-anchor="middle" font-size="11" fill="#4b5563">${escapeHtml(party.detail)}</text>`);
    out.push(`<line x1="${cx}" y1="${HEAD - 8}" x2="${cx}" y2="${height - 8}" stroke="#9ca3af" stroke-width="1"/>`);
  }
  for (const [row, step] of ladder.steps.entries()) {
    const y = HEAD + row * ROW + 26;
    const failed = step.failure !== null;
    const color = failed ? FAILURE_COLOR : PHASE_COLOR[step.phase];
    const marker = `url(#${id}-${failed ? 'fail' : 'ok'})`;
    const from = x(step.from);
    const to = step.from === step.to ? from + 40 : x(step.to);
    const dash = step.frame === null ? ' stroke-dasharray="6 4"' : '';
    const start = step.bothWays ? ` marker-start="${marker}"` : '';
    const full = `${stepFrameText(step, several)} (${stepTimeText(step)} s) ${step.phase}: ${step.label}${failed ? ` — ${step.failure}${step.failureNote !== '' ? `: ${step.failureNote}` : ''}` : ''}`;
    out.push(`<g class="step${failed ? ' failed' : ''}" data-frame="${escapeHtml(stepFrameText(step, several))}"><title>${escapeHtml(full)}</title>`);
    out.push(`<text x="8" y="${y + 4}" font-size="12" fill="#374151">${escapeHtml(stepFrameText(step, several))}</text>`);
    out.push(`<text x="${GUTTER - 10}" y="${y + 4}" font-size="11" text-anchor="end" fill="#6b7280">${escapeHtml(stepTimeText(step))}</text>`);
    const label = clip(`${step.label}${failed ? ` ✕ ${step.failure}` : ''}`);
    // Centred over the arrow, but kept clear of the frame and time columns and of the right edge.
    const half = (label.length * CHAR_WIDTH) / 2;
    const labelX = Math.min(Math.max((from + to) / 2, GUTTER + half + 4), width - half - 4);
    out.push(`<text x="${labelX}" y="${y - 6}" font-size="12" text-anchor="middle" fill="${color}">${escapeHtml(label)}</text>`);
    out.push(`<line x1="${from}" y1="${y}" x2="${to}" y2="${y}" stroke="${color}" stroke-width="1.6"${dash} marker-end="${marker}"${start}/>`);
    out.push('</g>');
  }
  if (ladder.omittedSteps > 0) out.push(`<text x="8" y="${height - 6}" font-size="12" fill="#6b7280">${escapeHtml(`… ${ladder.omittedSteps} more steps not drawn (per-client limit)`)}</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function clip(text: string): string {
  return text.length <= LABEL_CHARS ? text : `${text.slice(0, LABEL_CHARS - 1)}…`;
}
