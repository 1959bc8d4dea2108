import { DEFAULT_MAX_LIVE_CLIENTS, LIVE_CLIENT_BUDGET_BYTES, LIVE_CLIENT_BYTES } from '../analysis/protocol-timing.js';
import { integer, single, typed } from './option-values.js';
import { UsageError } from './usage-error.js';

/**
 * How many clients analyze and check follow at once: `--memory-budget` (what their state may take)
 * or `--max-live-clients` (a count). Past the limit the client quiet for longest is closed early and
 * marked `client-limit`.
 */
export const MEMORY_BUDGET_OPTION = {
  type: 'string',
  describe: `memory the clients followed at once may take, e.g. 512M or 2G (default ${LIVE_CLIENT_BUDGET_BYTES / 2 ** 20}M: ${DEFAULT_MAX_LIVE_CLIENTS} clients at about ${(LIVE_CLIENT_BYTES / 1024).toFixed(1)} KiB each); past it the one quiet for longest is closed early (reported as client-limit)`,
} as const;

export const MAX_LIVE_CLIENTS_OPTION = {
  type: 'string',
  describe: 'the same limit as a count of clients (instead of --memory-budget)',
} as const;

const UNITS: Record<string, number> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** A size as people type it: 1073741824, 512M, 1.5G, 2GiB, 64kb (binary multiples, any case). */
export function parseByteSize(text: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (match === null) throw new UsageError(`--${name}: ${typed(text)} is not a size (e.g. 512M, 2G)`);
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2].toLowerCase()]);
  if (!Number.isSafeInteger(bytes) || bytes < LIVE_CLIENT_BYTES) throw new UsageError(`--${name}: ${typed(text)} is too small for one client (${LIVE_CLIENT_BYTES} bytes)`);
  return bytes;
}

/** The live-client limit the options ask for; both options at once are a usage error. */
export function liveClientLimit(args: { 'memory-budget'?: unknown; 'max-live-clients'?: unknown }): number {
  const budget = single(args['memory-budget'], 'memory-budget');
  const count = single(args['max-live-clients'], 'max-live-clients');
  if (budget !== undefined && count !== undefined) throw new UsageError('--memory-budget and --max-live-clients set the same limit; give one');
  if (count !== undefined) return integer(count, 'max-live-clients', 1);
  if (budget !== undefined) return Math.max(1, Math.floor(parseByteSize(budget, 'memory-budget') / LIVE_CLIENT_BYTES));
  return DEFAULT_MAX_LIVE_CLIENTS;
}
