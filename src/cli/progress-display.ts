import { statSync } from 'node:fs';
import type { CommandContext } from './command-context.js';
import { fileSystemPath } from '../capture/file-name.js';
import { ProgressBar } from './progress-bar.js';
import { escapeControl } from './render/control-escape.js';
import { inputDisplayName } from './stdin-argument.js';
import { terminalColumns } from './terminal-width.js';

/**
 * Progress for a command reading captures: a bar per file on standard error, only when standard
 * error is a terminal and --quiet is off; silent when piped.
 */
export class ProgressDisplay {
  private readonly bars: (ProgressBar | null)[];

  constructor(context: CommandContext, files: readonly string[], quiet: boolean) {
    const enabled = !quiet && (context.stderr as NodeJS.WriteStream).isTTY === true;
    const columns = terminalColumns(context.stderr);
    this.bars = files.map((file) => (enabled ? new ProgressBar(context.stderr, escapeControl(inputDisplayName(file)), fileSize(file), columns) : null));
  }

  update(source: number, bytes: number, frames: number): void {
    this.bars[source]?.update(bytes, frames);
  }

  finish(): void {
    for (const bar of this.bars) bar?.finish();
  }
}

function fileSize(file: string): number | null {
  if (file === '-') return null;
  try {
    const info = statSync(fileSystemPath(file));
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}
