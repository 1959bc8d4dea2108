import type { ClientLadder, LadderParty, LadderStep } from '../../ladder/ladder-step.js';
import { stepFrameText, stepTimeText } from '../../ladder/step-frame-text.js';
import { painter, type AnsiStyle, type Painter } from './ansi.js';
import { escapeControl } from './control-escape.js';

export interface LadderTerminalOptions {
  /** Columns to fit in (process.stdout.columns, 80 when not a terminal). */
  width: number;
  color: boolean;
  /** ASCII only, for terminals and logs without Unicode box drawing. */
  ascii: boolean;
  /** Several captures in one timeline: frames read `capture:frame`. */
  severalCaptures?: boolean;
}

interface Glyphs {
  life: string;
  line: string;
  dash: string;
  right: string;
  left: string;
  tee: string;
  teeRight: string;
  teeLeft: string;
  cross: string;
  ellipsis: string;
}

const UNICODE: Glyphs = { life: '│', line: '─', dash: '╌', right: '▶', left: '◀', tee: '┼', teeRight: '├', teeLeft: '┤', cross: '✕', ellipsis: '…' };
const ASCII: Glyphs = { life: '|', line: '-', dash: '.', right: '>', left: '<', tee: '+', teeRight: '+', teeLeft: '+', cross: 'x', ellipsis: '...' };

const MIN_COLUMN = 10;
const MIN_WIDTH = 40;
/** Columns a label keeps however far right its arrow starts. */
const MIN_LABEL = 24;

const PHASE_STYLE: Readonly<Record<LadderStep['phase'], AnsiStyle>> = { qualification: 'cyan', maintenance: 'dim', 'hole punch': 'green', data: 'dim' };

/**
 * A client's ladder for a terminal: one lifeline per party, each step a label line and an arrow
 * line, all within `width` columns (parties that do not fit share the last column).
 */
export function* ladderTerminalLines(ladder: ClientLadder, options: LadderTerminalOptions): Generator<string> {
  const glyphs = options.ascii ? ASCII : UNICODE;
  const paint = painter(options.color);
  const width = Math.max(MIN_WIDTH, Math.floor(options.width));
  const several = options.severalCaptures === true;
  const frameText = (step: LadderStep): string => (options.ascii ? stepFrameText(step, several).replace(/[–—]/g, '-') : stepFrameText(step, several));
  const frameWidth = Math.max(5, ...ladder.steps.map((step) => frameText(step).length));
  const timeWidth = Math.max(7, ...ladder.steps.map((step) => stepTimeText(step).length));
  const gutter = frameWidth + timeWidth + 3;
  const layout = columnLayout(ladder.parties, width - gutter);
  const x = (party: number): number => gutter + layout.column[party] * layout.columnWidth + 1;

  yield paint(`Ladder of client ${escapeControl(ladder.client)}`, 'bold');
  // Sockets rarely fit a column: the columns carry short titles and this legend the rest.
  const titleWidth = Math.max(...ladder.parties.map((party) => party.title.length));
  for (const party of ladder.parties) {
    const detail = party.detail !== '' ? `, ${party.detail}` : '';
    yield fit(`  ${party.title.padEnd(titleWidth)}  ${escapeControl(party.address)}${escapeControl(detail)}`, width, glyphs);
  }
  yield '';
  const titles = layout.heads.map((party) => fit(escapeControl(party.title), layout.columnWidth - 1, glyphs).padEnd(layout.columnWidth)).join('');
  yield paint(`${'frame'.padStart(frameWidth)} ${'time'.padStart(timeWidth)}  ${titles}`.trimEnd(), 'bold');
  const blank = lifelines(layout.heads.length, layout.columnWidth, glyphs);
  for (const step of ladder.steps) {
    const from = x(step.from);
    const to = x(step.to);
    const failed = step.failure !== null;
    const mark = failed ? `${glyphs.cross} ${step.failure}${step.failureNote !== '' ? `: ${step.failureNote}` : ''}` : '';
    const labelText = escapeControl(step.label) + (mark !== '' ? ` ${mark}` : '');
    const labelStart = Math.min(Math.min(from, to) + 2, width - MIN_LABEL);
    const style: AnsiStyle = failed ? 'red' : PHASE_STYLE[step.phase];
    for (const part of wrap(labelText, width - labelStart)) {
      const line = `${''.padEnd(gutter)}${blank}`.padEnd(labelStart).slice(0, labelStart) + part;
      yield paint(line.trimEnd(), style);
    }
    const gutterText = `${frameText(step).padStart(frameWidth)} ${stepTimeText(step).padStart(timeWidth)}  `;
    yield `${gutterText}${paint(arrowLine(step, from - gutter, to - gutter, blank, glyphs), style)}`.trimEnd();
  }
  if (ladder.omittedSteps > 0) yield paint(`${glyphs.ellipsis} ${ladder.omittedSteps} more steps not drawn (per-client limit)`, 'dim');
  if (layout.folded > 0) yield paint(`(the last column holds ${layout.folded + 1} parties)`, 'dim');
}

interface ColumnLayout {
  column: number[];
  columnWidth: number;
  heads: LadderParty[];
  folded: number;
}

function columnLayout(parties: readonly LadderParty[], room: number): ColumnLayout {
  const fitting = Math.max(2, Math.floor(room / MIN_COLUMN));
  const columns = Math.min(parties.length, fitting);
  const columnWidth = Math.max(MIN_COLUMN, Math.floor(room / Math.max(1, columns)));
  const column = parties.map((_, index) => Math.min(index, columns - 1));
  const heads = parties.slice(0, columns);
  const folded = parties.length - columns;
  if (folded > 0) heads[columns - 1] = { role: 'other', title: `${folded + 1} others`, address: '', detail: '' };
  return { column, columnWidth, heads, folded };
}

function lifelines(count: number, columnWidth: number, glyphs: Glyphs): string {
  let line = '';
  for (let i = 0; i < count; i++) line += ` ${glyphs.life}`.padEnd(columnWidth);
  return line;
}

/** The lifelines with an arrow from `from` to `to` (offsets in the lifeline string). */
function arrowLine(step: LadderStep, from: number, to: number, blank: string, glyphs: Glyphs): string {
  const chars = [...blank];
  if (from === to) {
    chars[from] = glyphs.tee;
    return chars.join('');
  }
  const left = Math.min(from, to);
  const right = Math.max(from, to);
  const missing = step.frame === null;
  for (let i = left + 1; i < right; i++) chars[i] = missing ? glyphs.dash : glyphs.line;
  chars[from] = from < to ? glyphs.teeRight : glyphs.teeLeft;
  const head = from < to ? glyphs.right : glyphs.left;
  chars[from < to ? right - 1 : left + 1] = missing ? glyphs.cross : head;
  if (step.bothWays) chars[from < to ? left + 1 : right - 1] = from < to ? glyphs.left : glyphs.right;
  return chars.join('');
}

/** Words to lines of at most `room` columns (a word longer than that is cut). */
function wrap(text: string, room: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length <= room) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word.length <= room ? word : word.slice(0, room);
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

function fit(text: string, room: number, glyphs: Glyphs): string {
  if (room <= 0) return '';
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - glyphs.ellipsis.length))}${glyphs.ellipsis}`;
}

/** A convenience for one-shot use (tests): the lines joined. */
export function renderLadderTerminal(ladders: readonly ClientLadder[], options: LadderTerminalOptions): string {
  const out: string[] = [];
  for (const ladder of ladders) out.push(...ladderTerminalLines(ladder, options), '');
  return out.join('\n');
}

export type { Painter };
