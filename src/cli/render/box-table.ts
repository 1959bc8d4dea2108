import type { Painter } from './ansi.js';
import { visibleWidth, wrapText } from './wrap-text.js';

export interface BoxTableOptions {
  paint: Painter;
  /** Terminal columns to fit, or null to give every column its natural width. */
  maxWidth: number | null;
  /** Columns to drop, first to last, while the table is wider than maxWidth. */
  dropOrder?: readonly number[];
}

/**
 * A table drawn with box characters, in cli-table3's layout (one space of padding, a rule under the
 * heading only), built with plain string padding: linear in its cells, so a table of 200,000
 * clients costs what its text costs. Cells may hold several lines. When maxWidth is set, columns
 * are dropped in `dropOrder` and the widest remaining ones wrapped until every line fits.
 */
export function boxTable(head: readonly string[], rows: readonly (readonly string[])[], options: BoxTableOptions): string {
  const { paint } = options;
  let columns = head.map((_, index) => index);
  const natural = head.map((title) => visibleWidth(title));
  for (const row of rows) for (let c = 0; c < natural.length; c++) natural[c] = Math.max(natural[c], cellWidth(row[c]));
  const total = (cols: readonly number[], widths: readonly number[]): number => cols.reduce((sum, c) => sum + widths[c] + 3, 1);
  const widths = [...natural];
  if (options.maxWidth !== null) {
    const max = options.maxWidth;
    for (const drop of options.dropOrder ?? []) {
      if (total(columns, widths) <= max || columns.length <= 1) break;
      columns = columns.filter((c) => c !== drop);
    }
    // Still too wide: narrow the widest column, a column at a time, down to 6 characters.
    while (total(columns, widths) > max) {
      const widest = columns.reduce((a, b) => (widths[b] > widths[a] ? b : a));
      if (widths[widest] <= 6) break;
      widths[widest] = Math.max(6, widths[widest] - (total(columns, widths) - max));
    }
  }
  const rule = (left: string, middle: string, right: string): string => paint(left + columns.map((c) => '─'.repeat(widths[c] + 2)).join(middle) + right, 'dim');
  const bar = paint('│', 'dim');
  const separator = ` ${bar} `;
  const lines: string[] = [rule('┌', '┬', '┐')];
  // Plain concatenation and no per-cell arrays for one-line cells: a table of 200,000 clients is
  // mostly garbage otherwise.
  const split: (string | string[])[] = new Array<string | string[]>(columns.length);
  const pushRow = (cells: readonly string[], heading: boolean): void => {
    let height = 1;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      const cell = cells[c] ?? '';
      const piece = cell.indexOf('\n') === -1 && visibleWidth(cell) <= widths[c] ? cell : cellLines(cell, widths[c]);
      split[i] = piece;
      if (typeof piece !== 'string' && piece.length > height) height = piece.length;
    }
    for (let line = 0; line < height; line++) {
      let text = `${bar} `;
      for (let i = 0; i < columns.length; i++) {
        const piece = split[i];
        const part = typeof piece === 'string' ? (line === 0 ? piece : '') : (piece[line] ?? '');
        const padded = part + ' '.repeat(Math.max(0, widths[columns[i]] - visibleWidth(part)));
        text += (i > 0 ? separator : '') + (heading ? paint(padded, 'cyan') : padded);
      }
      lines.push(`${text} ${bar}`);
    }
  };
  pushRow(head, true);
  lines.push(rule('├', '┼', '┤'));
  for (const row of rows) pushRow(row, false);
  lines.push(rule('└', '┴', '┘'));
  return lines.join('\n');
}

function cellWidth(cell: string | undefined): number {
  if (cell === undefined || cell === '') return 0;
  if (cell.indexOf('\n') === -1) return visibleWidth(cell);
  let width = 0;
  for (const line of cell.split('\n')) width = Math.max(width, visibleWidth(line));
  return width;
}

function cellLines(cell: string, width: number): string[] {
  const lines: string[] = [];
  for (const line of cell.split('\n')) lines.push(...wrapText(line, width).split('\n'));
  return lines;
}
