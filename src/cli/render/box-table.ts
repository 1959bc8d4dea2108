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
  const natural = head.map((title, index) => Math.max(visibleWidth(title), ...rows.map((row) => cellWidth(row[index]))));
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
  const lines: string[] = [rule('┌', '┬', '┐')];
  const pushRow = (cells: readonly string[], heading: boolean): void => {
    const split = columns.map((c) => cellLines(cells[c] ?? '', widths[c]));
    const height = Math.max(1, ...split.map((cell) => cell.length));
    for (let line = 0; line < height; line++) {
      const parts = columns.map((c, i) => {
        const text = split[i][line] ?? '';
        const padded = text + ' '.repeat(Math.max(0, widths[c] - visibleWidth(text)));
        return heading ? paint(padded, 'cyan') : padded;
      });
      lines.push(`${bar} ${parts.join(` ${bar} `)} ${bar}`);
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
  let width = 0;
  for (const line of cell.split('\n')) width = Math.max(width, visibleWidth(line));
  return width;
}

function cellLines(cell: string, width: number): string[] {
  const lines: string[] = [];
  for (const line of cell.split('\n')) lines.push(...wrapText(line, width).split('\n'));
  return lines;
}
