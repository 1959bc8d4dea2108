import { readFile } from 'node:fs/promises';
import { MergeError, mergeReports, type ShardReport } from '../../report/merge-reports.js';
import type { Report } from '../../report/report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { OutputSink } from '../output-sink.js';
import { escapeControl } from '../render/control-escape.js';
import type { MergeArgs } from './merge-command.js';

/** What `merge` does once its arguments are parsed (loaded only when the command runs). */
export async function runMerge(args: MergeArgs, context: CommandContext): Promise<void> {
  const shards: ShardReport[] = [];
  for (const file of args.report.map(String)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      context.warn(`${escapeControl(file)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      context.exit(ExitCode.unreadable);
      return;
    }
    try {
      shards.push({ name: file, json: JSON.parse(text) as unknown });
    } catch {
      context.warn(`${escapeControl(file)} is not JSON`);
      context.exit(ExitCode.unreadable);
      return;
    }
  }
  let report: Report;
  try {
    const merged = mergeReports(shards);
    report = merged.report;
    const first = merged.duplicates[0];
    if (first !== undefined) {
      const count = merged.duplicates.length;
      context.warn(
        escapeControl(
          `${count} client id${count === 1 ? ' is' : 's are'} in more than one shard (first: ${first.id} in ${first.shards.join(', ')}); each shard's record is kept. ` +
            'Either the shards were not split by client, or these are relays or peers seen only through bubbles a server forwarded for clients of different shards.',
        ),
      );
    }
  } catch (error) {
    if (!(error instanceof MergeError)) throw error;
    context.warn(escapeControl(error.message));
    context.exit(ExitCode.unreadable);
    return;
  }
  const sink = new OutputSink(context.stdout);
  for (const line of await reportLines(report, args.format, context.color)) {
    sink.line(line);
    await sink.waitIfBehind();
  }
  await sink.flush();
  context.exit(ExitCode.ok);
}

async function reportLines(report: Report, format: MergeArgs['format'], color: boolean): Promise<Iterable<string>> {
  if (format === 'json') return (await import('../render/report-json.js')).reportJsonLines(report);
  if (format === 'markdown') return (await import('../render/report-markdown.js')).reportMarkdownLines(report);
  return (await import('../render/report-table.js')).reportTableLines(report, { color });
}
