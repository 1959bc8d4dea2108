import { readdirSync } from 'node:fs';
import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MERMAID_ARROWS, ladderMermaidLines, mermaidText, renderLadderMermaid } from '../../../src/cli/render/ladder-mermaid.js';
import type { ClientLadder, LadderStep } from '../../../src/ladder/ladder-step.js';
import { laddersOf } from '../../ladder/support/ladders-of.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';

async function parses(text: string): Promise<boolean> {
  const result = await mermaid.parse(text, { suppressErrors: true });
  return result !== false && result.diagramType === 'sequence';
}

function messages(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+P\d+(->>|-x|<<->>)P\d+:/.test(line));
}

function step(overrides: Partial<LadderStep>): LadderStep {
  return { frame: 1, lastFrame: 1, time: 0, phase: 'data', from: 0, to: 1, label: 'x', count: 1, bothWays: false, failure: null, failureNote: '', ...overrides };
}

describe('the Mermaid ladder', () => {
  it('of wireshark-teredo.pcap parses and has frames 6, 7, 30–33 in order with their parties', async () => {
    const [ladder] = (await laddersOf(SAMPLE)).ladders;
    const text = renderLadderMermaid(ladder);
    expect(text.startsWith('sequenceDiagram\n')).toBe(true);
    expect(await parses(text)).toBe(true);
    expect(text).toContain('participant P0 as client 192.168.2.16:3797<br/>NAT 70.55.215.234:3797');
    expect(text).toContain('participant P2 as secondary 65.55.158.81');
    const arrows = messages(text).map((line) => /^\s+(P\d)\S+?(P\d): (\S+)/.exec(line)?.slice(1).join(' '));
    expect(arrows).toEqual(['P0 P1 6', 'P2 P0 7', 'P0 P3 29', 'P0 P1 30', 'P1 P0 31', 'P0 P3 32', 'P3 P0 33', 'P0 P3 34–57']);
  });

  it('of every Miredo capture parses', async () => {
    const dir = 'fixtures/real/miredo';
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.pcap'))) {
      for (const ladder of (await laddersOf(`${dir}/${file}`)).ladders) expect(await parses(renderLadderMermaid(ladder)), file).toBe(true);
    }
  });

  it('draws failures: a cross for a missing step, a note for an unanswered one', async () => {
    const [ladder] = (await laddersOf('fixtures/real/miredo/miredo-offline-outside.pcap')).ladders;
    const text = renderLadderMermaid(ladder);
    expect(await parses(text)).toBe(true);
    expect(text.match(/Note over P0,P1: ✕ unanswered: no RA with this nonce/g)).toHaveLength(3);
    const missing: ClientLadder = { ...ladder, steps: [step({ frame: null, lastFrame: null, from: 1, to: 0, failure: 'lost', failureNote: 'never came' })] };
    const crossed = renderLadderMermaid(missing);
    expect(crossed).toContain('P1-xP0: — · 0.000 s · x');
    expect(await parses(crossed)).toBe(true);
  });

  it('stays within the arrow limit and says what it left out', async () => {
    const parties: ClientLadder['parties'] = [
      { role: 'client', title: 'client', address: '10.0.0.1:1', detail: '' },
      { role: 'relay', title: 'relay', address: '10.0.0.2:2', detail: '' },
    ];
    const steps = Array.from({ length: 500 }, (_, i) => step({ frame: i + 1, lastFrame: i + 1, from: i % 2, to: 1 - (i % 2), failure: i % 7 === 0 ? 'unanswered' : null }));
    const text = renderLadderMermaid({ client: 'c', parties, steps, omittedSteps: 20 });
    const drawn = text.split('\n').filter((line) => /^\s+(P\d+(->>|-x|<<->>)P\d+|Note over)/.test(line));
    expect(drawn.length).toBeLessThanOrEqual(DEFAULT_MAX_MERMAID_ARROWS);
    expect(text).toMatch(/Note over P0: … \d+ more steps \(frames \d+ to 500\) not drawn/);
    const left = Number(/… (\d+) more steps/.exec(text)?.[1]);
    expect(left + messages(text).length).toBe(520);
    expect(await parses(text)).toBe(true);
    const small = [...ladderMermaidLines({ client: 'c', parties, steps, omittedSteps: 0 }, { maxArrows: 5 })];
    expect(small.filter((line) => /^\s+(P\d+->>|Note)/.test(line))).toHaveLength(5);
  });

  it('escapes text that would break the diagram', async () => {
    const hostile = 'a;b #c <script>x</script> %% d\ne: f -->> g end';
    const ladder: ClientLadder = {
      client: hostile,
      parties: [
        { role: 'client', title: 'client', address: hostile, detail: hostile },
        { role: 'peer', title: 'peer', address: 'participant X', detail: '' },
      ],
      steps: [step({ label: hostile }), step({ label: hostile, from: 1, to: 0, failure: 'lost', failureNote: hostile })],
      omittedSteps: 0,
    };
    const text = renderLadderMermaid(ladder);
    // The only markup is the line break the renderer puts between a party's address and detail.
    expect(text.replaceAll('<br/>', '').replace(/P\d+(->>|-x|<<->>)P\d+/g, '').replace(/#\d+;/g, '')).not.toMatch(/[;<>#]|%%/);
    expect(messages(text)).toHaveLength(2);
    expect(await parses(text)).toBe(true);
    expect(mermaidText('a;b#c')).toBe('a#59;b#35;c');
  });

  it('the parser does reject a broken diagram (the checks above can fail)', async () => {
    expect(await parses('sequenceDiagram\n  P0->>: no target\n')).toBe(false);
  });
});
