import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { ClientLadder } from '../../ladder/ladder-step.js';
import type { Report } from '../../report/report.js';
import type { CommandContext } from '../command-context.js';
import { collectLadders } from '../ladder-pass.js';
import { drawsLadders, RENDERERS } from '../render/renderer-registry.js';
import { terminalColumns } from '../terminal-width.js';
import { UsageError } from '../usage-error.js';

/** The analyze options that draw ladders (kept apart so that analyze-run.ts only calls in here). */
export interface LadderArgs {
  format: string;
  ladder: boolean;
  ascii: boolean;
  html?: string;
}

const NOT_A_TERMINAL_WIDTH = 80;

export function wantsLadders(args: LadderArgs): boolean {
  return args.ladder || drawsLadders(args.format) || args.html !== undefined;
}

/** Usage errors of the drawing options, found before the capture is read. */
export function checkLadderArgs(args: LadderArgs, files: readonly string[]): void {
  if (!wantsLadders(args)) return;
  if (args.ladder && args.format !== 'table') throw new UsageError(`--ladder prints the ladders instead of the report: it does not go with --format ${args.format}`);
  if (files.includes('-')) throw new UsageError('--ladder, --html and --format mermaid read the captures twice: give files, not standard input');
}

/**
 * Draws what was asked: writes the --html page, and returns the lines that replace the report on
 * standard output (the terminal ladder for --ladder, the diagrams for --format mermaid), or null
 * when the report itself is to be printed. `files`: as the analysis read them.
 */
export async function ladderOutputs(args: LadderArgs, report: Report, files: readonly string[], context: CommandContext): Promise<Iterable<string> | null> {
  checkLadderArgs(args, files);
  const pass = await collectLadders(files, report.clients);
  const several = files.length > 1;
  if (pass.omittedClients > 0) context.warn(`ladders drawn for the first ${pass.ladders.length} clients only (${pass.omittedClients} more); use --client to pick one`);
  if (args.html !== undefined) {
    const { reportHtmlLines } = await import('../render/report-html.js');
    const byClient = new Map<string, ClientLadder>(pass.ladders.map((ladder) => [ladder.client, ladder]));
    await writeLines(args.html, reportHtmlLines({ report, ladders: byClient, omittedLadders: pass.omittedClients }));
  }
  if (drawsLadders(args.format)) {
    return (await RENDERERS[args.format].load())(report, { color: false, ladders: pass.ladders, severalCaptures: several });
  }
  if (args.ladder) {
    const { ladderTerminalLines } = await import('../render/ladder-terminal.js');
    const width = terminalColumns(context.stdout) ?? NOT_A_TERMINAL_WIDTH;
    const options = { width, color: context.color, ascii: args.ascii, severalCaptures: several };
    return separated(pass.ladders, (ladder) => ladderTerminalLines(ladder, options), report.clients.size === 0 ? ['No Teredo clients.'] : []);
  }
  return null;
}

function* separated(ladders: readonly ClientLadder[], render: (ladder: ClientLadder) => Iterable<string>, empty: string[]): Generator<string> {
  if (ladders.length === 0) yield* empty;
  for (const [index, ladder] of ladders.entries()) {
    if (index > 0) yield '';
    yield* render(ladder);
  }
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  try {
    for (const line of lines) {
      if (!stream.write(`${line}\n`)) await Promise.race([once(stream, 'drain'), failed]);
    }
    stream.end();
    await Promise.race([once(stream, 'finish'), failed]);
  } catch (error) {
    stream.destroy();
    throw new UsageError(`--html: cannot write ${file}: ${(error as Error).message}`);
  }
}
