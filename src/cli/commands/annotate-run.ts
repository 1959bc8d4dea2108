import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { TeredoAnalyzer } from '../../analysis/teredo-analyzer.js';
import { CaptureError } from '../../capture/capture-error.js';
import { copyWithComments, type CommentCopyResult } from '../../capture/comment-copy.js';
import { COMMENT_DISPLAY_FILTER, stepComments } from '../../ladder/step-comments.js';
import { buildReport } from '../../report/build-report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { collectLadders } from '../ladder-pass.js';
import { escapeControl } from '../render/control-escape.js';
import { reportStreamOutcome } from '../report-stream-outcome.js';
import { restoreStdinArgument } from '../stdin-argument.js';
import { streamTeredoPackets } from '../teredo-stream.js';
import { UsageError } from '../usage-error.js';
import type { AnnotateArgs } from './annotate-command.js';

/**
 * Comments are kept for every client up to these bounds (memory: about a hundred bytes a step);
 * past them the clients left out are named in a warning.
 */
const ANNOTATE_MAX_CLIENTS = 20_000;
const ANNOTATE_MAX_STEPS = 5_000;

/**
 * annotate: analyse, classify the steps (a second read), then copy the capture with comments (a
 * third read). Three sequential reads keep memory to the report and the comments.
 */
export async function runAnnotate(args: AnnotateArgs, context: CommandContext): Promise<void> {
  const input = restoreStdinArgument(String(args.file));
  if (input === '-') throw new UsageError('annotate reads its input three times: give a file, not standard input');
  if (resolve(args.output) === resolve(input)) throw new UsageError('--output must not be the input file');

  const analyzer = new TeredoAnalyzer({});
  const stream = await streamTeredoPackets(input, (packet) => analyzer.add(packet), {
    onMalformed: (frame, reason) => analyzer.noteMalformed(frame, reason),
  });
  if (stream.error !== null && (stream.error.kind === 'unreadable' || stream.error.kind === 'not-a-capture')) {
    reportStreamOutcome(stream, context);
    return;
  }
  if (stream.error !== null) analyzer.noteTruncated(stream.frames, stream.error.message);
  const report = buildReport({
    captures: [{ file: input, format: stream.summary?.format ?? stream.error?.format ?? null, packets: stream.frames, teredoPackets: stream.teredoPackets, truncated: stream.error !== null }],
    analysis: analyzer.finish(),
  });
  const pass = await collectLadders([input], report.clients, { maxClients: ANNOTATE_MAX_CLIENTS, maxStepsPerClient: ANNOTATE_MAX_STEPS });
  if (pass.omittedClients > 0) context.warn(`steps commented for the first ${pass.ladders.length} clients only; ${pass.omittedClients} more clients have only their findings commented`);
  const comments = stepComments(pass.ladders, report.findings);

  const result = await writeAnnotated(input, args.output, comments);
  if (result instanceof CaptureError) {
    context.warn(`${escapeControl(input)}: ${result.message}`);
    context.exit(result.exitCode === 4 ? ExitCode.truncated : ExitCode.unreadable);
    return;
  }
  if (result.uncommentable.length > 0) context.warn(`frames that cannot carry a comment (simple packet blocks or unreadable options), copied as they are: ${result.uncommentable.join(', ')}`);
  if (!args.quiet) {
    context.stdout.write(`${escapeControl(args.output)}: ${result.frames} packets, ${result.commented} with a teredoscope comment\n`);
    context.stdout.write(`Wireshark display filter: ${COMMENT_DISPLAY_FILTER}\n`);
  }
  if (stream.error !== null) reportStreamOutcome(stream, context);
  else context.exit(ExitCode.ok);
}

/** The copy, or the CaptureError that stopped it (the good part is written; an unusable input leaves no file). */
async function writeAnnotated(input: string, output: string, comments: ReadonlyMap<number, readonly string[]>): Promise<CommentCopyResult | CaptureError> {
  const out = createWriteStream(output);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const sink = async (chunk: Uint8Array): Promise<void> => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  let outcome: CommentCopyResult | CaptureError;
  try {
    outcome = await copyWithComments(input, comments, sink);
  } catch (error) {
    if (!(error instanceof CaptureError)) {
      out.destroy();
      throw error;
    }
    outcome = error;
  }
  out.end();
  try {
    await Promise.race([once(out, 'finish'), failed]);
  } catch (error) {
    throw new UsageError(`--output: cannot write ${output}: ${(error as Error).message}`);
  }
  if (outcome instanceof CaptureError && (outcome.kind === 'unreadable' || outcome.kind === 'not-a-capture')) await unlink(output).catch(() => undefined);
  return outcome;
}
