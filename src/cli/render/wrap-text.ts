// eslint-disable-next-line no-control-regex -- ANSI colour sequences are what is measured around
const ANSI = /\u001b\[[0-9;]*m/g;

/** Columns a line takes on a terminal: its characters without colour sequences. */
export function visibleWidth(text: string): number {
  // Nearly every cell is plain BMP text: its length is its width.
  if (!NOT_PLAIN.test(text)) return text.length;
  return [...text.replace(ANSI, '')].length;
}

// eslint-disable-next-line no-control-regex -- an escape or a surrogate pair needs the slow count
const NOT_PLAIN = /[\u001b\ud800-\udfff]/;

/**
 * A line broken at spaces so that no piece is wider than `columns`; a word longer than a line is
 * cut. Continuation lines start with `indent`. Colour sequences are not measured (nor split: a
 * line with colour is broken only at its spaces).
 */
export function wrapText(line: string, columns: number, indent = ''): string {
  if (visibleWidth(line) <= columns) return line;
  const width = Math.max(8, columns);
  const out: string[] = [];
  let current = '';
  let currentWidth = 0;
  for (const word of line.split(' ')) {
    const w = visibleWidth(word);
    const gap = current === '' || current === indent ? 0 : 1;
    if (currentWidth + gap + w <= width) {
      current += (gap === 1 ? ' ' : '') + word;
      currentWidth += gap + w;
      continue;
    }
    if (current.trim() !== '') out.push(current);
    current = indent;
    currentWidth = visibleWidth(indent);
    let rest = word;
    while (currentWidth + visibleWidth(rest) > width && !rest.includes('\u001b')) {
      const take = Math.max(1, width - currentWidth);
      out.push(current + rest.slice(0, take));
      rest = rest.slice(take);
      current = indent;
      currentWidth = visibleWidth(indent);
    }
    current += rest;
    currentWidth += visibleWidth(rest);
  }
  if (current.trim() !== '') out.push(current);
  return out.join('\n');
}
