import type { Argv } from 'yargs';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';

const FORMATS = ['json', 'table', 'markdown'] as const;
export type MergeFormat = (typeof FORMATS)[number];

export interface MergeArgs {
  report: string[];
  format: MergeFormat;
}

export function registerMerge(cli: Argv, context: CommandContext): Argv {
  return cli.command<MergeArgs>(
    'merge <report..>',
    'Combine the JSON reports of disjoint shards (captures split by client) into one report',
    (y) =>
      y
        .positional('report', { type: 'string', array: true, demandOption: true, describe: 'analyze --format json reports, one per shard' })
        .option('format', { choices: FORMATS, default: 'json' as MergeFormat, describe: 'output format (json: schema teredoscope.report/1)' })
        .example('$0 merge shard-*.json > all.json', 'one report for a capture set analysed in parallel')
        .epilogue(
          'Shards must be split by client, e.g. by a hash of the public IPv4 address, so that every client is in one ' +
            'shard; a client id found in several reports is kept once per report, with a warning. Captures are listed in ' +
            'the order the reports are given and every capture index is renumbered; each shard applied its own limit of ' +
            'findings per kind.\n\n' +
            `${EXIT_CODES_HELP}\n\nmerge exits 3 when a report cannot be read or is not a teredoscope.report/1 JSON report.`,
        ),
    async (args) => {
      const { runMerge } = await import('./merge-run.js');
      await runMerge(args, context);
    },
  );
}
