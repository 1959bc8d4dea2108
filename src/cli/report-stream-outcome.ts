import { MAX_LINK_TYPES_NAMED } from '../capture/input-limits.js';
import type { CommandContext } from './command-context.js';
import { ExitCode } from './exit-codes.js';
import { inputDisplayName } from './stdin-argument.js';
import type { TeredoStreamResult } from './teredo-stream.js';

const LINK_TYPE_NAMES: Record<number, string> = { 9: 'PPP', 105: 'IEEE 802.11', 127: 'IEEE 802.11 radiotap', 147: 'user 0' };

/**
 * Tells standard error what went wrong with one capture (once per kind of problem, one line each)
 * and records the exit code it implies. Shared by every command that reads captures.
 */
export function reportStreamOutcome(result: TeredoStreamResult, context: CommandContext): void {
  const unsupported = unsupportedLinkTypesText(result.decode.unsupportedLinkTypes);
  if (unsupported !== null) context.warn(`${inputDisplayName(result.file)}: ${unsupported}`);
  if (result.error !== null) {
    context.warn(`${inputDisplayName(result.file)}: ${result.error.message}`);
    context.exit(result.error.exitCode === 4 ? ExitCode.truncated : ExitCode.unreadable);
  }
}

/**
 * One line for every link type skipped, however many: a capture may declare all 65,536 of them.
 * The first MAX_LINK_TYPES_NAMED are named, the rest counted.
 */
function unsupportedLinkTypesText(counts: ReadonlyMap<number, number>): string | null {
  if (counts.size === 0) return null;
  let frames = 0;
  for (const count of counts.values()) frames += count;
  const named: string[] = [];
  for (const linkType of counts.keys()) {
    if (named.length === MAX_LINK_TYPES_NAMED) break;
    named.push(`${linkType}${LINK_TYPE_NAMES[linkType] !== undefined ? ` (${LINK_TYPE_NAMES[linkType]})` : ''}`);
  }
  const skipped = `${frames.toLocaleString('en-US')} frame${frames === 1 ? '' : 's'} skipped`;
  if (counts.size === 1) return `link type ${named[0]} is not supported; ${skipped}`;
  const more = counts.size > named.length ? `, and ${(counts.size - named.length).toLocaleString('en-US')} more` : '';
  return `${counts.size.toLocaleString('en-US')} link types are not supported (${named.join(', ')}${more}); ${skipped}`;
}
