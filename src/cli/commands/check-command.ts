import type { Argv } from 'yargs';
import { FINDING_CATALOG, FINDING_KINDS, SEVERITIES } from '../../analysis/finding-catalog.js';
import type { CommandContext } from '../command-context.js';
import { MAX_LIVE_CLIENTS_OPTION, MEMORY_BUDGET_OPTION } from '../live-client-limit.js';
import { WORKERS_OPTION } from '../workers-option.js';

export interface CheckArgs {
  trace: string[];
  expect?: string;
  'fail-on'?: string | string[];
  junit?: string;
  github: boolean;
  summary?: string;
  merge: boolean;
  'write-expect': boolean;
  quiet: boolean;
  workers: boolean;
  'max-live-clients'?: string | string[];
  'memory-budget'?: string | string[];
}

const CHECK_EXIT_CODES = [
  'Exit codes:',
  '  0  every trace passed: its expectations hold and no finding fails --fail-on',
  '  1  a trace failed',
  '  2  usage error, or an invalid expectation file (file, line and key are named)',
  '  3  a trace unreadable or not a capture',
  '  4  a trace truncated or damaged (everything before the damage is still judged)',
].join('\n');

/** The finding kinds with their default severities, from the catalog. */
function findingKindsHelp(): string {
  const width = Math.max(...FINDING_KINDS.map((kind) => kind.length));
  return FINDING_KINDS.map((kind) => `  ${kind.padEnd(width)}  ${FINDING_CATALOG[kind].severity.padEnd(7)}  ${FINDING_CATALOG[kind].summary}`).join('\n');
}

export function registerCheck(cli: Argv, context: CommandContext): Argv {
  return cli.command<CheckArgs>(
    'check <trace..>',
    'Judge recorded traces for CI: expectations and finding policy, exit 1 on failure',
    (y) =>
      y
        .positional('trace', { type: 'string', array: true, demandOption: true, describe: 'captures; a directory stands for each capture in it, each its own trace' })
        .option('expect', { type: 'string', describe: 'expectation file (YAML or JSON): checks per trace; with --write-expect, where to write it' })
        .option('fail-on', {
          type: 'string',
          describe: `which findings fail a trace: kinds, a severity (${SEVERITIES.join(', ')}: that one and above) or none; comma-separated or repeated [default: error]`,
        })
        .option('junit', { type: 'string', describe: 'write JUnit XML here (GitLab, Jenkins)' })
        .option('github', { type: 'boolean', default: false, describe: 'print GitHub Actions annotations (workflow commands)' })
        .option('summary', { type: 'string', describe: 'write a Markdown summary here (e.g. "$GITHUB_STEP_SUMMARY"), at most 1 MiB' })
        .option('merge', { type: 'boolean', default: false, describe: 'all the files are one rotated capture: one trace, one timeline' })
        .option('write-expect', { type: 'boolean', default: false, describe: 'write the expectation file that today\'s analysis passes (to --expect FILE, else standard output)' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress display on standard error' })
        .option('workers', WORKERS_OPTION)
        .option('memory-budget', MEMORY_BUDGET_OPTION)
        .option('max-live-clients', MAX_LIVE_CLIENTS_OPTION)
        .example('$0 check traces/', 'each capture in traces/ judged on its own; fails on findings of severity error')
        .example('$0 check --fail-on symmetric-nat,missing-relay a.pcap b.pcap', 'fail only on these kinds')
        .example('$0 check --expect expect.yaml --junit junit.xml traces/', 'expectations, JUnit for GitLab')
        .example('$0 check --github --summary "$GITHUB_STEP_SUMMARY" traces/', 'annotations and a job summary on GitHub')
        .example('$0 check --write-expect --expect expect.yaml traces/', 'a baseline to review and commit')
        .epilogue(`Finding kinds (default severity):\n${findingKindsHelp()}\n\nExpectation files: docs/ci.md.\n\n${CHECK_EXIT_CODES}`),
    async (args) => {
      const { runCheck } = await import('./check-run.js');
      await runCheck(args, context);
    },
  );
}
