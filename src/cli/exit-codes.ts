/** The documented exit codes (README "Exit codes", and every command's --help epilogue). */
export const ExitCode = {
  ok: 0,
  /** The command found what it reports as failing (an invalid address for `decode`, findings for `check`). */
  failing: 1,
  usage: 2,
  /** Input unreadable or not a capture. */
  unreadable: 3,
  /** Capture truncated or damaged part-way; everything before the damage was still reported. */
  truncated: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  success',
  '  1  the command found what it reports as failing (decode: an invalid address; analyze: --client matched no client; check: a failing trace)',
  '  2  usage error',
  '  3  input unreadable or not a capture',
  '  4  capture truncated or damaged (everything before the damage is still reported)',
].join('\n');

/** The worse of two outcomes: a damaged input outranks a finding, usage errors outrank both. */
export function worseExit(a: ExitCodeValue, b: ExitCodeValue): ExitCodeValue {
  const rank = (c: ExitCodeValue): number => [0, 1, 4, 3, 2].indexOf(c);
  return rank(a) >= rank(b) ? a : b;
}
