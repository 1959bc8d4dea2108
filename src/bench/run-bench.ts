import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ensureBenchCapture, type BenchCaptureInfo } from './bench-capture.js';
import { BENCH_USAGE, MIN_PACKETS, parseBenchOptions, type BenchOptions } from './bench-options.js';
import { BENCH_DIRECTORY, PROJECT_ROOT } from './bench-paths.js';
import { addRun, emptyResult, summarize, type RowResult } from './bench-results.js';
import { cliHasAnalyze, planRows, tsharkInstalled, type BenchRow, type RowEnvironment } from './bench-rows.js';
import { detectRssMethod, measureChild, type RssMethod } from './child-measure.js';
import { machineInfo } from './machine-info.js';
import { MIXES, type MixId } from './bench-mixes.js';
import { check, mib, mixTargetLines, rate, ratio, resultNotes, resultsTable, targetLines, TARGET_RSS_GROWTH } from './results-table.js';

/**
 * `npm run bench`: for each workload (bench-mixes.ts) generates (or reuses) its seeded capture,
 * then runs every row of the comparison in its own child process, `runs` times interleaved, and
 * prints a Markdown table per mix with issue 4's and issue 13's targets, then one line per mix;
 * the same figures go to a JSON file. A benchmark, never a test: nothing here fails a build.
 */

/** The analyze-startup row's capture: the smallest mix the generator makes, read in a few milliseconds. */
const STARTUP_PACKETS = MIN_PACKETS;

interface MixResult {
  mix: MixId;
  capture: BenchCaptureInfo;
  rows: RowResult[];
  reportsIdentical: boolean | null;
}

interface SizeResult {
  packets: number;
  capture: BenchCaptureInfo;
  rows: RowResult[];
}

const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    log(`bench: ${(error as Error).message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const machine = machineInfo();
  const rss = detectRssMethod();
  const env: RowEnvironment = { analyzeInCli: cliHasAnalyze(), tsharkAvailable: tsharkInstalled(), skipTshark: options.skipTshark };
  log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}; peak RSS via ${rss}; load ${machine.loadAverage}`);
  if (machine.loadAverage > machine.cores / 2) log(`warning: load average ${machine.loadAverage} on ${machine.cores} cores: other work is running and will slow every row`);
  if (!env.analyzeInCli) log('note: the CLI has no `analyze` command: that row is skipped');

  const out: string[] = [];
  out.push(`\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.kernel}, Node ${machine.node}, ${machine.tshark ?? 'no tshark'}; load average ${machine.loadAverage} at start; ${options.runs} run${options.runs === 1 ? '' : 's'} per row (median time, highest peak RSS via ${rss})`);
  const mixes: MixResult[] = [];
  for (const mix of options.mixes) {
    const capture = ensureBenchCapture({ mix, packets: options.packetsFor[mix], format: options.format, seed: options.seed }, BENCH_DIRECTORY, log);
    const startup = mix === 'data-heavy' ? ensureBenchCapture({ mix, packets: STARTUP_PACKETS, format: options.format, seed: options.seed }, BENCH_DIRECTORY, log) : null;
    const rows = planRows(capture, env, startup).filter((row) => options.only.length === 0 || options.only.includes(row.id));
    // The default and the raised-limit runs keep their reports, to be compared.
    for (const row of rows) if (row.id === 'analyze' || row.id === 'analyze-raised') row.stdoutFile = join(BENCH_DIRECTORY, `report-${mix}-${row.id}.json`);
    log(`\n== ${MIXES[mix].title} (${mix}) ==`);
    const results = await runRows(rows, capture, options.runs, rss);
    const reportsIdentical = compareReports(rows);
    mixes.push({ mix, capture, rows: results, reportsIdentical });
    out.push(`\n### ${MIXES[mix].title} (\`${mix}\`)\n`);
    out.push(`${describeCapture(capture)}\n`);
    out.push(resultsTable(results));
    for (const note of resultNotes(results)) out.push(`\n- ${note}`);
    const targets = mixTargetLines(mix, results, reportsIdentical);
    if (mix === 'data-heavy') out.push(`\nTargets (issue 4):\n${targetLines(results).join('\n')}`);
    if (targets.length > 0) out.push(`\nTargets (issue 13):\n${targets.join('\n')}`);
  }
  if (mixes.length > 1) out.push(`\n${summaryTable(mixes)}`);

  const sizes: SizeResult[] = [];
  if (options.sizes.length > 0) {
    for (const packets of [...options.sizes].sort((a, b) => a - b)) {
      const sized = ensureBenchCapture({ mix: options.mixes[0], packets, format: options.format, seed: options.seed }, BENCH_DIRECTORY, log);
      // The flatness target is about analyze; --only picks other rows (e.g. analyze,dissect,bare-reader).
      const wanted = options.only.length > 0 ? options.only : ['analyze'];
      const sizedRows = planRows(sized, env).filter((row) => wanted.includes(row.id) && row.id !== 'tshark' && row.id !== 'pcap-parser');
      sizes.push({ packets, capture: sized, rows: await runRows(sizedRows, sized, options.runs, rss) });
    }
    out.push(`\n${flatnessTable(sizes)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);

  const outFile = options.out ?? join(BENCH_DIRECTORY, 'results.json');
  mkdirSync(dirname(outFile), { recursive: true });
  const json = { schema: 'teredoscope.bench/2', date: new Date().toISOString(), machine, rssMethod: rss, options, mixes, sizes };
  writeFileSync(outFile, `${JSON.stringify(json, null, 2)}\n`);
  log(`\nresults written to ${relative(PROJECT_ROOT, outFile)}`);
  return 0;
}

async function runRows(rows: BenchRow[], capture: BenchCaptureInfo, runs: number, rss: RssMethod): Promise<RowResult[]> {
  warmPageCache(capture.file);
  const results = rows.map(emptyResult);
  // Rounds interleave the rows, so a slow spell of the machine does not land on one row only.
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const result = results[i];
      if (row.skipped !== null || result.failed !== null) continue;
      const run = await measureChild(row.command, row.args, { discardStdout: row.discardStdout, stdoutFile: row.stdoutFile, rss });
      const problem = runProblem(row, run.exitCode, run.stdout, run.stderr);
      if (problem !== null) {
        result.failed = problem;
        log(`${row.id}: FAILED (${problem})`);
        continue;
      }
      addRun(result, run);
      const cpu = run.cpuSeconds === null ? '' : `, CPU ${run.cpuSeconds.toFixed(2)} s`;
      log(`${row.id} [${round + 1}/${runs}] ${run.seconds.toFixed(2)} s, ${rate(row.packets / run.seconds)} packets/s, peak RSS ${run.peakRssKiB === null ? 'n/a' : mib(run.peakRssKiB / 1024)}${cpu}`);
    }
  }
  summarize(results);
  return results;
}

/** Why a run does not count (bad exit code, or a probe that did not read every packet), or null. */
function runProblem(row: BenchRow, exitCode: number | null, stdout: string, stderr: string): string | null {
  if (exitCode === null || !row.okExitCodes.includes(exitCode)) {
    const detail = stderr.trim().split('\n').slice(-2).join(' / ');
    return `exit code ${exitCode}${detail === '' ? '' : `: ${detail}`}`;
  }
  if (row.discardStdout || row.stdoutFile !== undefined) return null;
  try {
    const printed = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { frames?: number };
    if (printed.frames !== row.packets) return `read ${printed.frames} packets, expected ${row.packets}`;
  } catch {
    return 'no result line on standard output';
  }
  return null;
}

/** Reads the whole file once, so that every row finds it in the page cache (as issue 4's figures were taken). */
function warmPageCache(file: string): void {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

function describeCapture(capture: BenchCaptureInfo): string {
  return [
    `Capture: ${relative(PROJECT_ROOT, capture.file)} — ${capture.packets.toLocaleString('en-US')} packets, ${(capture.bytes / 1e6).toFixed(0)} MB (${(capture.bytes / capture.packets).toFixed(0)} bytes/packet), seed ${capture.seed}`,
    `  ${capture.description}`,
  ].join('\n');
}

/** Whether the default and the raised-limit analyze wrote the same report (null: not both ran). */
function compareReports(rows: readonly BenchRow[]): boolean | null {
  const files = rows.filter((row) => row.id === 'analyze' || row.id === 'analyze-raised').map((row) => row.stdoutFile);
  if (files.length !== 2 || files.some((file) => file === undefined || !existsSync(file))) return null;
  const [a, b] = files.map((file) => readFileSync(file!));
  return a.equals(b);
}

/** One line per mix: analyze's rate against tshark and the bare reader, and its peak RSS. */
function summaryTable(mixes: readonly MixResult[]): string {
  const lines = [
    'All mixes (this run):',
    '',
    '| mix | packets | analyze packets/s | × tshark | × bare reader | × tshark (CPU) | × bare reader (CPU) | dissection alone (CPU share) | peak RSS | limit raised: × tshark (CPU) | peak RSS | same report |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const { mix, capture, rows, reportsIdentical } of mixes) {
    const analyze = rows.find((r) => r.id === 'analyze');
    const raised = rows.find((r) => r.id === 'analyze-raised');
    const same = reportsIdentical === null ? '' : reportsIdentical ? 'yes' : 'no';
    const dissection = rows.find((r) => r.id === 'dissect-only')?.medianCpuSeconds ?? null;
    const share = dissection === null || analyze?.medianCpuSeconds == null ? '' : `${Math.round((100 * dissection) / analyze.medianCpuSeconds)} %`;
    lines.push(
      `| ${mix} | ${capture.packets.toLocaleString('en-US')} | ${rate(analyze?.packetsPerSecond ?? null)} | ${ratio(analyze?.vsTshark ?? null)} | ${ratio(analyze?.vsBareReader ?? null)} | ${ratio(analyze?.vsTsharkCpu ?? null)} | ${ratio(analyze?.vsBareReaderCpu ?? null)} | ${share} | ${mib(analyze?.peakRssMiB ?? null)} | ${raised === undefined ? '' : ratio(raised.vsTsharkCpu)} | ${raised === undefined ? '' : mib(raised.peakRssMiB)} | ${same} |`,
    );
  }
  return lines.join('\n');
}

function flatnessTable(sizes: SizeResult[]): string {
  const lines = ['Peak RSS against capture size:', '', '| what | packets | MB | packets/s | peak RSS | × smallest |', '|---|---:|---:|---:|---:|---:|'];
  const checks: string[] = [];
  for (const id of ['analyze', 'dissect', 'bare-reader'] as const) {
    const series = sizes.map((size) => ({ size, row: size.rows.find((r) => r.id === id) })).filter((entry) => entry.row?.peakRssMiB != null);
    if (series.length === 0) continue;
    const base = series[0].row!.peakRssMiB!;
    for (const { size, row } of series) {
      lines.push(`| ${row!.label} | ${size.packets.toLocaleString('en-US')} | ${(size.capture.bytes / 1e6).toFixed(0)} | ${rate(row!.packetsPerSecond)} | ${mib(row!.peakRssMiB)} | ${(row!.peakRssMiB! / base).toFixed(2)}× |`);
    }
    const last = series[series.length - 1].row!.peakRssMiB!;
    if (series.length > 1) checks.push(check(`${id} peak RSS flat (largest within ${TARGET_RSS_GROWTH}× of smallest)`, last <= base * TARGET_RSS_GROWTH, `${(last / base).toFixed(2)}×`));
  }
  return [...lines, '', ...checks].join('\n');
}

process.exitCode = await main();
