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
    this.stream.write(`\r${fitProgressText(this.columns, (label) => progressText(label, bytes, frames, this.totalBytes, elapsed), this.label)}\u001b[K`);
  }

  /** Clears the line so that the next output starts clean. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}

export function progressText(label: string, bytes: number, frames: number, totalBytes: number | null, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 ? frames / elapsedSeconds : 0;
  const parts = [label];
  if (totalBytes !== null && totalBytes > 0) {
    const fraction = Math.min(1, bytes / totalBytes);
    const width = 20;
    const filled = Math.round(fraction * width);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}%`);
    parts.push(`${megabytes(bytes)}/${megabytes(totalBytes)} MB`);
  } else {
    parts.push(`${megabytes(bytes)} MB`);
  }
  parts.push(`${frames.toLocaleString('en-US')} packets`, `${(rate / 1e6).toFixed(2)} M/s`);
  if (totalBytes !== null && bytes > 0 && bytes < totalBytes && elapsedSeconds > 0) {
    const eta = ((totalBytes - bytes) * elapsedSeconds) / bytes;
    parts.push(`ETA ${formatDuration(eta)}`);
  }
  return parts.join('  ');
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

/** The progress line within `columns - 1` characters: the label shortened from the left first, then the line cut. */
export function fitProgressText(columns: number | null, text: (label: string) => string, label: string): string {
  const full = text(label);
  if (columns === null || [...full].length < columns) return full;
  const over = [...full].length - (columns - 1);
  const chars = [...label];
  const shorter = chars.length - over - 1 >= 8 ? text(`…${chars.slice(over + 1).join('')}`) : full;
  return [...shorter].slice(0, columns - 1).join('');
}
