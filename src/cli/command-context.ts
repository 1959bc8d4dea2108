import type { Readable, Writable } from 'node:stream';
import type { ExitCodeValue } from './exit-codes.js';

/** What a command may touch of the outside world; tests and the real process provide different ones. */
export interface CommandContext {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** Whether colour and progress output are wanted (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  /** Records the command's outcome; the worst one reported wins. */
  exit(code: ExitCodeValue): void;
  /** One-line diagnostic on standard error, prefixed with the program name. */
  warn(message: string): void;
}
