import type { Writable } from 'node:stream';

/**
 * A one-line progress display on standard error for long inputs: bytes read of the total, frames,
 * rate and ETA. Redrawn at most ten times a second so that it costs nothing measurable; draws
 * nothing for inputs that finish within the first second.
 */
export class ProgressBar {
  private readonly stream: Writable;
  private readonly label: string;
  private readonly totalBytes: number | null;
  private readonly startedAt = Date.now();
  private lastDraw = 0;
  private drawn = false;

  private readonly columns: number | null;

  /** `columns`: the terminal's width; the line is kept narrower so that it redraws in place instead of scrolling. */
  constructor(stream: Writable, label: string, totalBytes: number | null, columns: number | null = null) {
    this.stream = stream;
    this.label = label;
    this.totalBytes = totalBytes;
    this.columns = columns;
  }

  update(bytes: number, frames: number): void {
    const now = Date.now();
    if (now - this.lastDraw < 100 || now - this.startedAt < 1000) return;
    this.lastDraw = now;
    this.drawn = true;
    const elapsed = (now - this.startedAt) / 1000;
    this.stream.write(`\r${progressText(this.label, bytes, frames, this.totalBytes, elapsed, this.columns)}\u001b[K`);
  }

  /** Clears the line so that the next output starts clean. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}

/**
 * The progress line; with `columns`, kept narrower than the terminal so that it redraws in place:
 * the bar goes first, then the label is shortened from the left, then the ETA goes.
 */
export function progressText(label: string, bytes: number, frames: number, totalBytes: number | null, elapsedSeconds: number, columns: number | null = null): string {
  const rate = elapsedSeconds > 0 ? frames / elapsedSeconds : 0;
  let bar: string | null = null;
  let size = `${megabytes(bytes)} MB`;
  if (totalBytes !== null && totalBytes > 0) {
    const fraction = Math.min(1, bytes / totalBytes);
    const width = 20;
    const filled = Math.round(fraction * width);
    bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`;
    size = `${megabytes(bytes)}/${megabytes(totalBytes)} MB`;
  }
  const counts = [`${frames.toLocaleString('en-US')} packets`, `${(rate / 1e6).toFixed(2)} M/s`];
  let eta: string | null = null;
  if (totalBytes !== null && bytes > 0 && bytes < totalBytes && elapsedSeconds > 0) eta = `ETA ${formatDuration(((totalBytes - bytes) * elapsedSeconds) / bytes)}`;
  const line = (name: string, withBar: boolean, withEta: boolean): string =>
    [name, withBar ? bar : null, size, ...counts, withEta ? eta : null].filter((part) => part !== null).join('  ');
  if (columns === null) return line(label, true, true);
  const max = columns - 1;
  const labelChars = [...label];
  for (const [withBar, withEta] of [[true, true], [false, true], [false, false]] as const) {
    const room = max - [...line('', withBar, withEta)].length;
    if (labelChars.length <= room) return line(label, withBar, withEta);
    if (room >= 12) return line(`…${labelChars.slice(labelChars.length - (room - 1)).join('')}`, withBar, withEta);
  }
  return [...line('', false, false).trimStart()].slice(0, max).join('');
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1);
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
