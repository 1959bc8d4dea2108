import { readFileSync } from 'node:fs';

/**
 * The version in package.json, for --version. Read from the package itself, two levels above this
 * module: the same place whether it runs as compiled (dist/cli/package-version.js) or inside the
 * bundle (dist/cli/teredoscope.js), where yargs' own search (from its module's directory) finds
 * nothing.
 */
export function packageVersion(): string {
  try {
    const parsed = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
