import type { Argv } from 'yargs';
import { single, typed } from './option-values.js';
import { UsageError } from './usage-error.js';

/**
 * `--format` for every command, with `--json` kept as its alias (`--json` = `--format json`):
 * scripts written for either spelling keep working, and there is one word to learn.
 */
export function withFormatOption<T>(y: Argv<T>, formats: readonly string[], fallback: string, help: string = formats.join(', ')): Argv<T> {
  return y
    .option('format', { type: 'string', describe: `output format: ${help} (default ${fallback})` })
    .option('json', { type: 'boolean', describe: 'same as --format json' });
}

export function resolveFormat<F extends string>(args: { [key: string]: unknown; format?: unknown; json?: unknown }, formats: readonly F[], fallback: F): F {
  const given = single(args.format, 'format');
  const json = Array.isArray(args.json) ? args.json.includes(true) : args.json === true;
  if (given === undefined) return json ? ('json' as F) : fallback;
  const format = formats.find((f) => f === given.trim().toLowerCase());
  if (format === undefined) throw new UsageError(`--format: ${typed(given)} is not one of ${formats.join(', ')}`);
  if (json && format !== 'json') throw new UsageError(`--json and --format ${format} contradict each other; give one`);
  return format;
}
