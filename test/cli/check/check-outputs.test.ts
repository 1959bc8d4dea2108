import { describe, expect, it } from 'vitest';
import { checkGithubLines, escapeData, escapeProperty, workflowCommand } from '../../../src/cli/check/check-github.js';
import { checkJunitLines } from '../../../src/cli/check/check-junit.js';
import { checkSummaryLines, MERMAID_MAX_LINES } from '../../../src/cli/check/check-summary.js';
import { checkTextLines } from '../../../src/cli/check/check-text.js';
import { NO_CLIENT_LADDER, type ClientLadderDrawer } from '../../../src/cli/render/client-ladder.js';
import { client, outcome, report, run, trace } from './support/check-run-fixture.js';
import { validateJunit } from './support/junit-schema.js';

const FINDING = outcome({
  name: 'symmetric-nat client 192.168.1.10:40000 frame 5',
  source: 'finding',
  passed: false,
  kind: 'symmetric-nat',
  client: '192.168.1.10:40000',
  message: 'sym.pcap: symmetric-nat (error), client 192.168.1.10:40000 frames 5, 7: Symmetric NAT <&> "here"',
  frames: [5, 7],
  displayFilter: 'frame.number == 5 || frame.number == 7',
});

function sampleRun() {
  return run([
    trace('ok.pcap', [outcome({ name: 'read', source: 'read' }), outcome({ name: 'clientCount 1' })]),
    trace('sym.pcap', [outcome({ name: 'read', source: 'read' }), outcome({ name: 'client x natType == cone', passed: false, message: 'sym.pcap: client x: natType is symmetric, expected cone (e.yaml:3)', where: { file: 'e.yaml', line: 3 } }), FINDING], {
      report: report([client('192.168.1.10:40000'), client('192.168.1.11:40000')]),
      findingCounts: { 'symmetric-nat': 1 },
    }),
    trace('broken\u001b.pcap', [outcome({ name: 'read', source: 'read', passed: false, message: 'broken.pcap: not a capture' })], { readExit: 3, report: null }),
  ]);
}

describe('check --junit', () => {
  it('validates against the JUnit schema with the right counts', () => {
    const xml = [...checkJunitLines(sampleRun())].join('\n');
    const { problems, counts, cases } = validateJunit(xml);
    expect(problems).toEqual([]);
    expect(counts).toEqual({ suites: 3, tests: 6, failures: 2, errors: 1 });
    expect(cases.map((c) => c['@classname'])).toEqual(['ok.pcap', 'ok.pcap', 'sym.pcap', 'sym.pcap', 'sym.pcap', 'broken\\x1b.pcap']);
    expect(cases.every((c) => c['@file'] === c['@classname'])).toBe(true);
    expect(cases[0]['@time']).toBe('0.250');
    const failure = (cases[4].failure as Array<Record<string, string>>)[0];
    expect(failure['@type']).toBe('symmetric-nat');
    expect(failure['#text']).toContain('display filter: frame.number == 5 || frame.number == 7');
    expect(failure['#text']).toContain('frames: 5, 7');
    expect(xml).toContain('Symmetric NAT &lt;&amp;&gt; "here"');
  });

  it('has a validator that notices wrong counts and foreign elements', () => {
    const xml = [...checkJunitLines(sampleRun())].join('\n');
    expect(validateJunit(xml.replace('tests="6"', 'tests="7"')).problems).toEqual(['tests="7" but 6 counted']);
    expect(validateJunit(xml.replace('<testcase ', '<testcase bogus="1" ')).problems).toEqual(['testcase: attribute bogus not in the schema']);
    expect(validateJunit(xml.replace('</testsuites>', '')).problems[0]).toMatch(/not well-formed/);
  });
});

describe('check --github', () => {
  it('escapes %, CR and LF in messages, and : and , in properties, as the toolkit does', () => {
    expect(escapeData('100% done\r\nnext, line')).toBe('100%25 done%0D%0Anext, line');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(workflowCommand('error', { file: 'traces/a,b:1.pcap', title: 'symmetric-nat' }, 'line 1\nline 2, 50%')).toBe(
      '::error file=traces/a%2Cb%3A1.pcap,title=symmetric-nat::line 1%0Aline 2, 50%25',
    );
  });

  it('annotates each failure at its level, unreadable traces and expectations first', () => {
    const lines = [...checkGithubLines(sampleRun())];
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('::error file=broken\\x1b.pcap,title=trace not read completely::broken.pcap: not a capture');
    expect(lines[1]).toMatch(/^::error file=sym\.pcap,title=expectation%3A client x natType == cone::sym\.pcap: client x: natType is symmetric/);
    expect(lines[2]).toBe(
      '::error file=sym.pcap,title=symmetric-nat::sym.pcap: symmetric-nat (error), client 192.168.1.10:40000 frames 5, 7: Symmetric NAT <&> "here"%0Aframes: 5, 7%0Adisplay filter: frame.number == 5 || frame.number == 7',
    );
    expect(lines.every((line) => !line.slice(2).includes('\n'))).toBe(true);
  });

  it('prints at most 10 per level and one line saying how many more', () => {
    const many = Array.from({ length: 14 }, (_, i) => outcome({ name: `f${i}`, source: 'finding', passed: false, severity: i < 12 ? 'error' : 'warning', kind: 'offline', message: `m${i}` }));
    const lines = [...checkGithubLines(run([trace('t.pcap', many)]))];
    expect(lines.filter((line) => line.startsWith('::error '))).toHaveLength(10);
    expect(lines.filter((line) => line.startsWith('::warning '))).toHaveLength(2);
    expect(lines.filter((line) => !line.startsWith('::'))).toEqual(['teredoscope: 2 more errors not annotated (GitHub shows 10 per level and step); see the log above, --summary or --junit']);
    expect(lines[0]).toContain('::m0');
  });
});

describe('check --summary', () => {
  it('gives a verdict table and the failures of each failing trace', () => {
    const text = checkSummaryLines(sampleRun(), { color: false, ladder: NO_CLIENT_LADDER }).join('\n');
    expect(text).toContain('## teredoscope check: 2 of 3 traces failed');
    expect(text).toContain('| `ok.pcap` | ✅ PASS | 0 | no findings | 1 of 1 |');
    expect(text).toContain('| `sym.pcap` | ❌ FAIL | 2 | symmetric-nat 1 | 0 of 1 |');
    expect(text).toContain('| `broken\\x1b.pcap` | ⛔ ERROR | — | no findings | — |');
    expect(text).toContain('  - display filter: `frame.number == 5 || frame.number == 7`');
    expect(text).toContain('Symmetric NAT \\<&\\> "here"');
    expect(text).not.toContain('mermaid');
  });

  it('draws a ladder for each failing client through the hook, and none with the placeholder', () => {
    const asked: string[] = [];
    const ladder: ClientLadderDrawer = (_report, c) => {
      asked.push(c.id);
      return ['sequenceDiagram', `  participant C as ${c.id}`];
    };
    const text = checkSummaryLines(sampleRun(), { color: false, ladder }).join('\n');
    expect(asked).toEqual(['192.168.1.10:40000']);
    expect(text).toContain('#### Client `192.168.1.10:40000`\n\n```mermaid\nsequenceDiagram\n  participant C as 192.168.1.10:40000\n```');
    const huge: ClientLadderDrawer = () => ['sequenceDiagram', ...Array.from({ length: MERMAID_MAX_LINES }, () => '  A->>B: x')];
    const skipped = checkSummaryLines(sampleRun(), { color: false, ladder: huge }).join('\n');
    expect(skipped).not.toContain('```mermaid');
    expect(skipped).toContain('too large for Mermaid to render');
  });

  it('never passes its byte cap, and says that it was cut', () => {
    const traces = Array.from({ length: 3000 }, (_, i) =>
      trace(`trace-${i}.pcap`, [outcome({ name: 'f', source: 'finding', passed: false, message: `trace-${i}.pcap: ${'x'.repeat(400)} é` })]),
    );
    const lines = checkSummaryLines(run(traces), { color: false, ladder: NO_CLIENT_LADDER });
    const bytes = Buffer.byteLength(`${lines.join('\n')}\n`, 'utf8');
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(bytes).toBeGreaterThan(1000 * 1024);
    expect(lines.at(-1)).toMatch(/^> \*\*Summary truncated\*\*: \d+ more blocks would pass 1024 KiB/);
    const small = checkSummaryLines(run(traces.slice(0, 2)), { color: false, ladder: NO_CLIENT_LADDER });
    expect(small.join('\n')).not.toContain('truncated');
  });
});

describe('check text summary', () => {
  it('gives one line per trace with counts per kind, its failures, and a total', () => {
    const lines = [...checkTextLines(sampleRun(), { color: false, ladder: NO_CLIENT_LADDER })];
    expect(lines[0]).toBe('PASS  ok.pcap  0 clients; no findings; 0 of 1 expectation failed');
    expect(lines[1]).toBe('FAIL  sym.pcap  2 clients; symmetric-nat 1; 1 of 1 expectation failed');
    expect(lines).toContain('        filter: frame.number == 5 || frame.number == 7');
    expect(lines).toContain('ERROR broken\\x1b.pcap  not read; no findings');
    expect(lines.at(-1)).toBe('3 traces: 1 passed, 2 failed');
  });
});
