import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { inputDisplayName } from './stdin-argument.js';
import type { TeredoStreamResult } from './teredo-stream.js';

const LINK_TYPE_NAMES: Record<number, string> = { 9: 'PPP', 105: 'IEEE 802.11', 127: 'IEEE 802.11 radiotap', 147: 'user 0' };

/**
 * Tells standard error what went wrong with one capture (once per problem, one line each) and
 * records the exit code it implies. Shared by every command that reads captures.
 */
export function reportStreamOutcome(result: TeredoStreamResult, context: CommandContext): void {
  for (const [linkType, count] of result.decode.unsupportedLinkTypes) {
    const name = LINK_TYPE_NAMES[linkType] ? ` (${LINK_TYPE_NAMES[linkType]})` : '';
    context.warn(`${inputDisplayName(result.file)}: link type ${linkType}${name} is not supported; ${count} frame${count === 1 ? '' : 's'} skipped`);
  }
  if (result.error !== null) {
    context.warn(`${inputDisplayName(result.file)}: ${result.error.message}`);
    context.exit(result.error.exitCode === 4 ? ExitCode.truncated : ExitCode.unreadable);
  }
}
