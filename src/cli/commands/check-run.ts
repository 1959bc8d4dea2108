import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { failuresOf, type CheckRun, type TraceVerdict } from '../../check/check-result.js';
import { parseExpectations } from '../../check/expectation-parse.js';
import { writeExpectations } from '../../check/expectation-writer.js';
import { ExpectationError, type ExpectationFile, type TraceExpectation } from '../../check/expectation.js';
import { DEFAULT_FAIL_POLICY, FailPolicyError, parseFailPolicy, type FailPolicy } from '../../check/fail-policy.js';
import { judgeTrace, type AnalysedTrace } from '../../check/trace-verdict.js';
import { analyzeTrace, type TraceOptions } from '../analyze-trace.js';
import { expandInputs } from '../expand-inputs.js';
import { liveClientLimit } from '../live-client-limit.js';
import type { CheckRenderOptions } from '../check/check-render-options.js';
import { summaryLadders } from '../check/summary-ladders.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { OutputSink } from '../output-sink.js';
import { NO_CLIENT_LADDER } from '../render/client-ladder.js';
import { escapeControl } from '../render/control-escape.js';
import { RENDERERS, type CheckOutputName } from '../render/renderer-registry.js';
import { inputDisplayName, restoreStdinArgument } from '../stdin-argument.js';
import { UsageError } from '../usage-error.js';
import type { CheckArgs } from './check-command.js';

/** A trace to read: its name in every output, its files, and the paths an expectation may name it by. */
interface TraceSpec {
  name: string;
  files: string[];
  keys: string[];
}

/**
 * What `check` does once its arguments are parsed: every trace is read and judged on its own
 * (a directory stands for each capture in it; --merge makes all the files one trace), then the
 * verdicts go to standard output and to the files asked for.
 */
export async function runCheck(args: CheckArgs, context: CommandContext): Promise<void> {
  const policy = cliPolicy(args['fail-on']);
  const maxLiveClients = liveClientLimit(args);
  const expectations = args.expect !== undefined && !args['write-expect'] ? await readExpectations(args.expect) : null;
  const specs = await traceSpecs(args.trace.map((arg) => restoreStdinArgument(String(arg))), args.merge, context);
  const options: TraceOptions = { quiet: args.quiet, workers: args.workers, maxLiveClients };

  if (args['write-expect']) {
    await writeBaseline(specs, options, policy ?? DEFAULT_FAIL_POLICY, args.expect, context);
    return;
  }

  const started = new Date();
  const traces: TraceVerdict[] = [];
  const used = new Set<TraceExpectation>();
  for (const spec of specs) {
    const expectation = expectations?.traces.find((entry) => spec.keys.includes(entry.resolved)) ?? null;
    if (expectation !== null) used.add(expectation);
    const analysed = await analyzeTrace(spec.name, spec.files, options, context);
    traces.push(judgeTrace(analysed, policy ?? expectation?.failOn ?? DEFAULT_FAIL_POLICY, expectation));
  }
  for (const entry of expectations?.traces ?? []) {
    if (!used.has(entry)) context.warn(`${entry.where.file}:${entry.where.line}: trace ${escapeControl(entry.trace)} was not among the traces checked`);
  }

  const run: CheckRun = { traces, started };
  const renderOptions: CheckRenderOptions = { color: context.color, ladder: args.summary === undefined ? NO_CLIENT_LADDER : await summaryLadders(traces) };
  const sink = new OutputSink(context.stdout);
  for (const line of await render('check-text', run, renderOptions)) sink.line(line);
  if (args.github) for (const line of await render('github', run, renderOptions)) sink.line(line);
  await sink.flush();
  if (args.junit !== undefined) await writeOutput('--junit', args.junit, await render('junit', run, renderOptions));
  if (args.summary !== undefined) await writeOutput('--summary', args.summary, await render('step-summary', run, renderOptions));

  for (const trace of traces) {
    if (trace.readExit === 3) context.exit(ExitCode.unreadable);
    else if (trace.readExit === 4) context.exit(ExitCode.truncated);
    if (failuresOf(trace).some((failure) => failure.source !== 'read')) context.exit(ExitCode.failing);
  }
  context.exit(ExitCode.ok);
}

function cliPolicy(values: string | string[] | undefined): FailPolicy | null {
  if (values === undefined) return null;
  try {
    return parseFailPolicy([values].flat().map(String));
  } catch (error) {
    if (error instanceof FailPolicyError) throw new UsageError(error.message);
    throw error;
  }
}

async function readExpectations(file: string): Promise<ExpectationFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--expect: cannot read ${escapeControl(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return parseExpectations(file, text);
  } catch (error) {
    if (error instanceof ExpectationError) throw new UsageError(escapeControl(error.message));
    throw error;
  }
}

/** Each file its own trace, or with `merge` all of them one trace named after the arguments. */
async function traceSpecs(args: readonly string[], merge: boolean, context: CommandContext): Promise<TraceSpec[]> {
  const key = (path: string): string => (path === '-' ? '-' : resolve(path));
  // A directory stands for the captures in it (expandInputs skips, with one warning, what is not one).
  const perArgument: { arg: string; files: string[] }[] = [];
  for (const arg of args) perArgument.push({ arg, files: await expandInputs([arg], (message) => context.warn(message)) });
  for (const { arg, files } of perArgument) {
    if (files.length === 0) throw new UsageError(`${escapeControl(arg)}: no capture files in this directory`);
  }
  if (merge) {
    const files = perArgument.flatMap((entry) => entry.files);
    return [{ name: args.map(inputDisplayName).join(' + '), files, keys: [...args.map(key), ...files.map(key)] }];
  }
  return perArgument.flatMap((entry) => entry.files.map((file) => ({ name: inputDisplayName(file), files: [file], keys: [key(file)] })));
}

/** --write-expect: the expectation file that today's analysis passes, to `target` or standard output. */
async function writeBaseline(specs: readonly TraceSpec[], options: TraceOptions, policy: FailPolicy, target: string | undefined, context: CommandContext): Promise<void> {
  const folder = target === undefined ? process.cwd() : dirname(resolve(target));
  const described = [];
  for (const spec of specs) {
    const analysed: AnalysedTrace = await analyzeTrace(spec.name, spec.files, options, context);
    if (analysed.readExit !== 0) context.exit(analysed.readExit === 3 ? ExitCode.unreadable : ExitCode.truncated);
    if (analysed.report === null) continue;
    const first = spec.keys[0];
    described.push({ trace: first === '-' ? '-' : relative(folder, first) || '.', report: analysed.report });
  }
  const text = writeExpectations(described, policy, target?.toLowerCase().endsWith('.json') === true ? 'json' : 'yaml');
  if (target === undefined) {
    const sink = new OutputSink(context.stdout);
    for (const line of text.replace(/\n$/, '').split('\n')) sink.line(line);
    await sink.flush();
  } else {
    await writeOutput('--expect', target, [text.replace(/\n$/, '')]);
    context.warn(`wrote ${escapeControl(target)} (${described.length} trace${described.length === 1 ? '' : 's'}): review it before committing`);
  }
  context.exit(ExitCode.ok);
}

async function render(name: CheckOutputName, run: CheckRun, options: CheckRenderOptions): Promise<Iterable<string>> {
  const renderer = await RENDERERS[name].load();
  return renderer(run, options);
}

async function writeOutput(option: string, file: string, lines: Iterable<string>): Promise<void> {
  try {
    await writeFile(file, `${[...lines].join('\n')}\n`);
  } catch (error) {
    throw new UsageError(`${option}: cannot write ${escapeControl(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
