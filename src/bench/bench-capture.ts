import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureFileOutput, type BenchFormat } from './capture-output.js';
import { describeMix, generateBenchMix, type AnyMixTally, type MixId } from './bench-mixes.js';

/** Bump when the generator's output changes, so that stale cached captures are not reused. */
export const GENERATOR_VERSION = 3;
/** tshark is measured on the first this many packets, as in issue 4's figures. */
export const TSHARK_PACKET_LIMIT = 200_000;

export interface BenchCaptureSpec {
  /** Which workload (bench-mixes.ts); the data-heavy network mix when absent. */
  mix?: MixId;
  packets: number;
  format: BenchFormat;
  seed: number;
}

export interface BenchCaptureInfo extends BenchCaptureSpec {
  generatorVersion: number;
  file: string;
  /** File size in bytes. */
  bytes: number;
  /** File offset after the first min(packets, TSHARK_PACKET_LIMIT) packets (what tshark reads). */
  bytesAtTsharkLimit: number;
  /** Teredo packets in the file (control + data), by the generator's own count. */
  teredoPackets: number;
  tally: AnyMixTally;
  /** What the capture holds, in words. */
  description: string;
  generatedInSeconds: number;
}

export function captureFileName(spec: BenchCaptureSpec): string {
  return `${spec.mix ?? 'data-heavy'}-v${GENERATOR_VERSION}-seed${spec.seed}-${spec.packets}.${spec.format}`;
}

/** Writes the capture for `spec` to `path` (constant memory) and returns what it holds. */
export function writeBenchCapture(spec: BenchCaptureSpec, path: string): BenchCaptureInfo {
  const started = performance.now();
  const output = new CaptureFileOutput(path, spec.format);
  let written = 0;
  let bytesAtTsharkLimit = 0;
  const mix = spec.mix ?? 'data-heavy';
  const tally = generateBenchMix(mix, spec.packets, spec.seed, (seconds, nanos, frame) => {
    output.write(seconds, nanos, frame);
    if (++written === TSHARK_PACKET_LIMIT) bytesAtTsharkLimit = output.bytesWritten;
  });
  output.close();
  if (written < TSHARK_PACKET_LIMIT) bytesAtTsharkLimit = output.bytesWritten;
  return {
    ...spec,
    mix,
    generatorVersion: GENERATOR_VERSION,
    file: path,
    bytes: output.bytesWritten,
    bytesAtTsharkLimit,
    teredoPackets: tally.byClass['teredo-control'] + tally.byClass['teredo-data'],
    tally,
    description: describeMix(mix, tally),
    generatedInSeconds: (performance.now() - started) / 1000,
  };
}

/**
 * The capture for `spec` in `directory`, generated on first use and reused afterwards (keyed by
 * generator version, seed, size and format). A capture is only published once complete, so an
 * interrupted generation is never mistaken for a cached file.
 */
export function ensureBenchCapture(spec: BenchCaptureSpec, directory: string, log: (message: string) => void = () => undefined): BenchCaptureInfo {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, captureFileName(spec));
  const infoFile = `${file}.json`;
  if (existsSync(file) && existsSync(infoFile)) {
    const cached = JSON.parse(readFileSync(infoFile, 'utf8')) as BenchCaptureInfo;
    if (cached.generatorVersion === GENERATOR_VERSION) return { ...cached, file };
  }
  log(`generating ${spec.packets.toLocaleString('en-US')} packets of the ${spec.mix ?? 'data-heavy'} mix (${spec.format}, seed ${spec.seed}) into ${file} …`);
  const partial = `${file}.partial`;
  try {
    const info = writeBenchCapture(spec, partial);
    renameSync(partial, file);
    const published = { ...info, file };
    writeFileSync(infoFile, `${JSON.stringify(published, null, 2)}\n`);
    log(`generated in ${info.generatedInSeconds.toFixed(1)} s: ${(info.bytes / 1e6).toFixed(0)} MB, ${info.teredoPackets.toLocaleString('en-US')} Teredo packets`);
    return published;
  } finally {
    rmSync(partial, { force: true });
  }
}
