import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ensureBenchCapture, type BenchCaptureInfo } from './bench-capture.js';
import { BENCH_USAGE, MIN_PACKETS, parseBenchOptions, type BenchOptions } from './bench-options.js';
import { BENCH_DIRECTORY, PROJECT_ROOT } from './bench-paths.js';
import { addRun, emptyResult, summarize, type RowResult } from './bench-results.js';
import { cliHasAnalyze, planRows, tsharkInstalled, type BenchRow, type RowEnvironment } from './bench-rows.js';
import { detectRssMethod, measureChild, type RssMethod } from './child-measure.js';
import { machineInfo } from './machine-info.js';
import { check, mib, rate, resultNotes, resultsTable, targetLines, TARGET_RSS_GROWTH } from './results-table.js';

/**
 * `npm run bench`: generates (or reuses) the seeded traffic mix, then runs every row of the
 * comparison in its own child process, `runs` times interleaved, and prints a Markdown table plus
 * issue 4's targets; the same figures go to a JSON file. A benchmark, never a test: nothing here
 * fails a build.
 */

/** The analyze-startup row's capture: the smallest mix the generator makes, read in a few milliseconds. */
const STARTUP_PACKETS = MIN_PACKETS;

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

  const capture = ensureBenchCapture({ packets: options.packets, format: options.format, seed: options.seed }, BENCH_DIRECTORY, log);
  const startup = ensureBenchCapture({ packets: STARTUP_PACKETS, format: options.format, seed: options.seed }, BENCH_DIRECTORY, log);
  const rows = planRows(capture, env, startup).filter((row) => options.only.length === 0 || options.only.includes(row.id));
  const results = await runRows(rows, capture, options.runs, rss);

  const out: string[] = [];
  out.push(`\nMachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, ${machine.kernel}, Node ${machine.node}, ${machine.tshark ?? 'no tshark'}; load average ${machine.loadAverage} at start; ${options.runs} run${options.runs === 1 ? '' : 's'} per row (median time, highest peak RSS via ${rss})`);
  out.push(`${describeCapture(capture)}\n`);
  out.push(resultsTable(results));
  for (const note of resultNotes(results)) out.push(`\n- ${note}`);
  out.push(`\nTargets (issue 4):\n${targetLines(results).join('\n')}`);

  const sizes: SizeResult[] = [];
  if (options.sizes.length > 0) {
    for (const packets of [...options.sizes].sort((a, b) => a - b)) {
      const sized = ensureBenchCapture({ packets, format: options.format, seed: options.seed }, BENCH_DIRECTORY, log);
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
  const json = { schema: 'teredoscope.bench/1', date: new Date().toISOString(), machine, rssMethod: rss, options, capture, rows: results, sizes };
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
      const run = await measureChild(row.command, row.args, { discardStdout: row.discardStdout, rss });
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
  if (row.discardStdout) return null;
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
  const t = capture.tally;
  const share = (n: number): string => `${((100 * n) / t.packets).toFixed(1)} %`;
  const nat = t.teredoClients.byNat;
  return [
    `Capture: ${relative(PROJECT_ROOT, capture.file)} — ${capture.packets.toLocaleString('en-US')} packets, ${(capture.bytes / 1e6).toFixed(0)} MB (${(capture.bytes / capture.packets).toFixed(0)} bytes/packet), ${t.durationSeconds.toFixed(0)} s of traffic, seed ${capture.seed}`,
    `  Teredo data ${share(t.byClass['teredo-data'])}, Teredo control ${share(t.byClass['teredo-control'])}, other traffic ${share(t.byClass.background)}; ` +
      `${t.teredoClients.clients.toLocaleString('en-US')} clients starting in the capture (cone ${nat.cone}, restricted ${nat.restricted}, symmetric ${nat.symmetric}, offline ${nat.offline}), ` +
      `${t.teredoClients.punches} hole punches (${t.teredoClients.failedPunches} failed, ${t.teredoClients.missingRelays} without relay), ${t.teredoClients.flows} data flows`,
  ].join('\n');
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
