import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/synth/scenarios/scenario-catalog.js';
import { writeScenario } from '../../src/synth/scenarios/write-scenario.js';

describe('committed scenario fixtures', () => {
  it('are exactly what the generators write (run `npm run fixtures` after changing a scenario)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teredoscope-scenarios-'));
    expect(SCENARIO_NAMES.length).toBeGreaterThanOrEqual(22);
    for (const name of SCENARIO_NAMES) {
      await writeScenario(name, join(dir, `${name}.pcap`));
      const fresh = readFileSync(join(dir, `${name}.pcap`));
      const committed = readFileSync(join('fixtures/synthetic/scenarios', `${name}.pcap`));
      expect(Buffer.compare(fresh, committed), name).toBe(0);
    }
  });
});
