import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SCENARIO_NAMES } from './scenarios/scenario-catalog.js';
import { writeScenario } from './scenarios/write-scenario.js';

/**
 * `npm run fixtures`: writes every analysis scenario as a pcap into fixtures/synthetic/scenarios,
 * so that they can be opened in Wireshark next to teredoscope's report. A test checks that the
 * committed files are exactly what the generators produce.
 */
async function writeAll(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const name of SCENARIO_NAMES) {
    const scenario = await writeScenario(name, join(directory, `${name}.pcap`));
    process.stdout.write(`${name}.pcap: ${scenario.frames.length} frames\n`);
  }
}

await writeAll(process.argv[2] ?? 'fixtures/synthetic/scenarios');
