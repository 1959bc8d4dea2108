/** The few ANSI styles the renderers use; `paint` returns the text untouched when colour is off. */
export type AnsiStyle = 'red' | 'yellow' | 'green' | 'cyan' | 'dim' | 'bold';

const CODES: Record<AnsiStyle, [number, number]> = {
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export type Painter = (text: string, style: AnsiStyle) => string;

export function painter(color: boolean): Painter {
  if (!color) return (text) => text;
  return (text, style) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`;
}
