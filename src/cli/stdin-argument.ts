/**
 * yargs' parser silently drops a lone `-` from positionals, but `-` is how users name standard
 * input. main() swaps it for this token before parsing and commands swap it back.
 */
const STDIN_TOKEN = '\u0000stdin';

export function protectStdinArgument(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === '-' ? STDIN_TOKEN : arg));
}

export function restoreStdinArgument(arg: string): string {
  return arg === STDIN_TOKEN ? '-' : arg;
}

/** How messages name an input: `-` is shown as "standard input". */
export function inputDisplayName(file: string): string {
  return file === '-' ? 'standard input' : file;
}
