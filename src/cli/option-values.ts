import { escapeControl } from './render/control-escape.js';
import { UsageError } from './usage-error.js';

/**
 * Option values as yargs hands them over, made into what a command means. yargs turns an option
 * given twice into an array and a non-number into NaN; these helpers turn both into one-line usage
 * errors that quote what was typed, or combine repeated values where a list makes sense.
 */

/** How a usage error shows a typed value: quoted, with control characters made visible. */
export function typed(value: unknown): string {
  return `'${escapeControl(String(value))}'`;
}

/** The one value of an option that may be given once; a repeat with a different value is a usage error. */
export function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return String(value);
  const texts = value.map(String);
  if (texts.every((text) => text === texts[0])) return texts[0];
  throw new UsageError(`--${name} given ${texts.length} times (${texts.map(typed).join(', ')}); give it once`);
}

/** Every value of an option that may be repeated (its values combine), in the order given. */
export function all(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** An integer option: `'abc' is not a number` rather than yargs' 'NaN'. */
export function integer(text: string, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw new UsageError(`--${name}: ${typed(text)} is not ${/^[+-]?\d*\.\d+$/.test(trimmed) ? 'a whole number' : 'a number'}`);
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min}-${max}`;
    throw new UsageError(`--${name}: ${typed(text)} is out of range (${range})`);
  }
  return value;
}

/** The same for a boolean given twice: yargs keeps the last; a contradiction is worth a word. */
export function flag(value: unknown, name: string): boolean {
  if (!Array.isArray(value)) return value === true;
  const values = value.map((v) => v === true);
  if (values.some((v) => v !== values[0])) throw new UsageError(`--${name} and --no-${name} both given; give one`);
  return values[0] ?? false;
}
