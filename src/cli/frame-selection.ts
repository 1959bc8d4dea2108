import { UsageError } from './usage-error.js';

/** A `--frames` selection such as `10-20`, `7`, `6,7,29-33` or `100-` (open end). */
export interface FrameSelection {
  ranges: ReadonlyArray<{ from: number; to: number }>;
}

export function parseFrameSelection(text: string): FrameSelection {
  const ranges: { from: number; to: number }[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const match = /^(\d+)?(?:(-)(\d+)?)?$/.exec(part);
    if (part === '' || match === null || (match[1] === undefined && match[3] === undefined)) {
      throw new UsageError(`--frames: '${part}' is not a frame number or range (examples: 7, 10-20, 100-)`);
    }
    const from = match[1] === undefined ? 1 : Number(match[1]);
    const to = match[2] === undefined ? from : match[3] === undefined ? Number.POSITIVE_INFINITY : Number(match[3]);
    if (from < 1 || to < from) throw new UsageError(`--frames: '${part}' is an empty range (frames are numbered from 1)`);
    ranges.push({ from, to });
  }
  return { ranges };
}

/** Several `--frames` options: a frame is selected when any of them selects it. */
export function parseFrameSelections(texts: readonly string[]): FrameSelection {
  return { ranges: texts.flatMap((text) => parseFrameSelection(text).ranges) };
}

export function frameSelected(selection: FrameSelection | null, frame: number): boolean {
  if (selection === null) return true;
  for (const range of selection.ranges) if (frame >= range.from && frame <= range.to) return true;
  return false;
}

/** True when no frame after `frame` can be selected, so reading may stop early. */
export function selectionExhausted(selection: FrameSelection | null, frame: number): boolean {
  if (selection === null) return false;
  for (const range of selection.ranges) if (range.to > frame) return false;
  return true;
}
