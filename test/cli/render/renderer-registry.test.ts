import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES, formatHelp, RENDERERS, type RendererName } from '../../../src/cli/render/renderer-registry.js';
import { ReportClientList } from '../../../src/report/report-client-list.js';
import type { Report } from '../../../src/report/report.js';
import { runCli } from '../support/run-cli.js';

const EMPTY: Report = { schema: 'teredoscope.report/1', captures: [], clients: ReportClientList.of([]), findings: [], findingsOmitted: {} };

describe('the renderer registry', () => {
  it('offers its report renderers to --format and keeps the check outputs apart', () => {
    expect(FORMAT_NAMES).toEqual(['table', 'json', 'markdown', 'mermaid']);
    const checkOutputs = (Object.keys(RENDERERS) as RendererName[]).filter((name) => RENDERERS[name].input === 'check');
    expect(checkOutputs).toEqual(['check-text', 'junit', 'github', 'step-summary']);
    expect(formatHelp()).toMatch(/^table: .+; json: .+; markdown: .+; mermaid: .+$/);
  });

  it('loads each renderer on use and each yields lines', async () => {
    for (const name of FORMAT_NAMES) {
      const render = await RENDERERS[name].load();
      const lines = [...render(EMPTY, { color: false })];
      // A ladder renderer draws the ladders it is given: none here.
      if ('drawsLadders' in RENDERERS[name]) expect(lines, name).toEqual([]);
      else expect(lines.length, name).toBeGreaterThan(0);
    }
    expect(JSON.parse([...(await RENDERERS.json.load())(EMPTY)].join('\n'))).toMatchObject({ schema: 'teredoscope.report/1', clients: [] });
    const junit = [...(await RENDERERS.junit.load())({ traces: [], started: new Date(0) })];
    expect(junit.at(-1)).toBe('</testsuites>');
  });

  it('is what analyze --help lists and --format accepts', async () => {
    const help = await runCli(['analyze', '--help']);
    const text = help.stdout.replace(/\s+/g, ' ');
    for (const name of FORMAT_NAMES) expect(text).toContain(`${name}: ${RENDERERS[name].summary}`);
    const bad = await runCli(['analyze', '--format', 'xml', 'fixtures/real/wireshark-teredo.pcap']);
    expect(bad.code).toBe(2);
  });
});
