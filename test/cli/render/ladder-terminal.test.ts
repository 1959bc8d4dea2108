import { describe, expect, it } from 'vitest';
import { ladderTerminalLines, renderLadderTerminal } from '../../../src/cli/render/ladder-terminal.js';
import type { ClientLadder } from '../../../src/ladder/ladder-step.js';
import { laddersOf } from '../../ladder/support/ladders-of.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
// eslint-disable-next-line no-control-regex -- looking for escape sequences
const ANSI = /\u001b\[/;

function lines(ladder: ClientLadder, width: number, options: { ascii?: boolean; color?: boolean } = {}): string[] {
  return [...ladderTerminalLines(ladder, { width, ascii: options.ascii === true, color: options.color === true })];
}

describe('the terminal ladder', () => {
  it('shows frames 6, 7, 30–33 in order, each with an arrow between its parties', async () => {
    const [ladder] = (await laddersOf(SAMPLE)).ladders;
    const text = lines(ladder, 100);
    const arrows = text.filter((line) => /^\s*[\d–]+\s+\d+\.\d{3}\s/.test(line));
    expect(arrows.map((line) => line.trim().split(/\s+/)[0])).toEqual(['6', '7', '29', '30', '31', '32', '33', '34–57']);
    const header = text.find((line) => line.startsWith('frame'));
    expect(header).toMatch(/client\s+primary\s+secondary\s+relay/);
    // Columns: the arrow of frame 7 runs from the secondary's lifeline back to the client's.
    const columnOf = (title: string): number => header?.indexOf(title) ?? -1;
    const frame7 = arrows[1];
    expect(frame7.indexOf('◀')).toBe(columnOf('client') + 2);
    expect(frame7.indexOf('┤')).toBe(columnOf('secondary') + 1);
    const frame6 = arrows[0];
    expect(frame6.indexOf('├')).toBe(columnOf('client') + 1);
    expect(frame6.indexOf('▶')).toBe(columnOf('primary'));
    expect(text.join('\n')).toContain('RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88');
    expect(text.join('\n')).toContain('client     192.168.2.16:3797, NAT 70.55.215.234:3797');
  });

  for (const width of [40, 60, 80, 132]) {
    it(`fits ${width} columns`, async () => {
      const [ladder] = (await laddersOf(SAMPLE)).ladders;
      for (const line of lines(ladder, width)) expect([...line].length).toBeLessThanOrEqual(width);
    });
  }

  it('--ascii uses no character outside ASCII; colour only when asked', async () => {
    const [ladder] = (await laddersOf(SAMPLE)).ladders;
    const ascii = lines(ladder, 80, { ascii: true }).join('\n');
    expect(ascii).toMatch(/^[\x20-\x7e\n]*$/);
    expect(ascii).toContain('+-------------->|');
    expect(lines(ladder, 80).join('\n')).not.toMatch(ANSI);
    expect(lines(ladder, 80, { color: true }).join('\n')).toMatch(ANSI);
  });

  it('marks failures and says how many steps were left out', async () => {
    const [ladder] = (await laddersOf('fixtures/real/miredo/miredo-offline-inside.pcap')).ladders;
    const text = renderLadderTerminal([ladder], { width: 132, ascii: false, color: false });
    expect(text.match(/✕ unanswered: no RA with this nonce/g)).toHaveLength(3);
    const [capped] = (await laddersOf(SAMPLE, { maxStepsPerClient: 2 })).ladders;
    expect(renderLadderTerminal([capped], { width: 80, ascii: false, color: false })).toContain('… 6 more steps not drawn');
  });

  it('escapes control characters coming from a party or label', () => {
    const ladder: ClientLadder = {
      client: 'evil\u001b[31m',
      parties: [
        { role: 'client', title: 'client', address: 'a\u202eb', detail: '' },
        { role: 'peer', title: 'peer', address: 'x', detail: '' },
      ],
      steps: [{ frame: 1, lastFrame: 1, time: 0, phase: 'data', from: 0, to: 1, label: 'bad\nlabel', count: 1, bothWays: false, failure: null, failureNote: '' }],
      omittedSteps: 0,
    };
    const text = lines(ladder, 80).join('\n');
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('evil\\x1b[31m');
    expect(text).toContain('a\\u202eb');
    expect(text).toContain('bad\\nlabel');
  });
});
