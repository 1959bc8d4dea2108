import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { PcapWriter } from '../../capture/pcap-writer.js';
import { PcapngWriter } from '../../capture/pcapng-writer.js';
import type { PacketToWrite } from '../../capture/packet-to-write.js';
import { generateScenario } from './scenario-catalog.js';
import type { Scenario, ScenarioFrame } from './scenario.js';

export interface WriteOptions {
  /** Default pcap (microseconds, like the real fixtures). */
  format?: 'pcap' | 'pcapng';
  linkType?: number;
}

/** Generates scenario `name` and writes it to `path` with the project's capture writer; resolves to the scenario. */
export async function writeScenario(name: string, path: string, options: WriteOptions = {}): Promise<Scenario> {
  const scenario = generateScenario(name);
  await writeFrames(scenario.frames, path, { linkType: scenario.linkType, ...options });
  return scenario;
}

/** Writes frames to a capture file, waiting for the disk when it is behind (bounded memory for huge captures). */
export async function writeFrames(frames: Iterable<ScenarioFrame>, path: string, options: WriteOptions = {}): Promise<number> {
  const stream = createWriteStream(path);
  let failure: Error | null = null;
  stream.on('error', (error) => {
    failure = error;
  });
  let backlog = false;
  const sink = (chunk: Uint8Array): void => {
    if (!stream.write(chunk)) backlog = true;
  };
  const linkType = options.linkType ?? 1;
  const writer: { write(packet: PacketToWrite): void } =
    options.format === 'pcapng' ? new PcapngWriter(sink, { interfaces: [{ linkType }] }) : new PcapWriter(sink, { linkType });
  let count = 0;
  for (const frame of frames) {
    if (failure !== null) break;
    writer.write({ seconds: frame.seconds, nanos: frame.nanos, data: frame.data });
    count++;
    if (backlog) {
      backlog = false;
      await once(stream, 'drain');
    }
  }
  stream.end();
  if (failure === null) await once(stream, 'finish').catch((error: unknown) => (failure ??= error as Error));
  if (failure !== null) throw failure;
  return count;
}
