import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/reader.js';
import { readPcapngComments } from '../capture/support/pcapng-comments.js';
import { runCli } from './support/run-cli.js';

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const scratch = mkdtempSync(join(tmpdir(), 'teredoscope-annotate-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Packet {
  frame: number;
  seconds: number;
  nanos: number;
  linkType: number;
  originalLength: number;
  hex: string;
}

async function packets(file: string): Promise<Packet[]> {
  const out: Packet[] = [];
  await readCapture(file, (r) => {
    const hex = Buffer.from(r.buffer.subarray(r.offset, r.offset + r.capturedLength)).toString('hex');
    out.push({ frame: r.frame, seconds: r.seconds, nanos: r.nanos, linkType: r.linkType, originalLength: r.originalLength, hex });
  });
  return out;
}

const tsharkInstalled = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

/** frame number → comments, as tshark shows them (field frame.comment; pkt_comment before 3.6). */
function tsharkComments(file: string): Map<number, string> {
  let text = '';
  for (const field of ['frame.comment', 'pkt_comment']) {
    const run = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', field], { encoding: 'utf8' });
    if (run.status === 0) {
      text = run.stdout;
      break;
    }
  }
  const comments = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [frame, comment] = line.split('\t');
    if (comment !== undefined && comment !== '') comments.set(Number(frame), comment);
  }
  return comments;
}

describe('teredoscope annotate', () => {
  it('copies wireshark-teredo.pcap to pcapng with comments on frames 6, 7, 30–33 and prints the filter', async () => {
    const output = join(scratch, 'sample.pcapng');
    const run = await runCli(['annotate', SAMPLE, '-o', output]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('78 packets, 8 with a teredoscope comment');
    expect(run.stdout).toContain('frame.comment contains "teredoscope"');

    // Every packet byte for byte, with its time and link type (the project's reader).
    expect(await packets(output)).toEqual(await packets(SAMPLE));
    const { comments } = readPcapngComments(output);
    expect([...comments.keys()]).toEqual([6, 7, 29, 30, 31, 32, 33, 34]);
    expect(comments.get(6)).toEqual(['teredoscope: qualification: RS cone probe to primary 65.55.158.80, nonce cd5669400b22df88']);
    expect(comments.get(7)).toEqual(['teredoscope: qualification: RA from secondary 65.55.158.81 + origin 70.55.215.234:3797, nonce cd5669400b22df88']);
    expect(comments.get(31)).toEqual(['teredoscope: hole punch: relay bubble via server, origin 83.170.1.38:32900']);

    if (tsharkInstalled) {
      const seen = tsharkComments(output);
      for (const frame of [6, 7, 30, 31, 32, 33]) expect(seen.get(frame), `frame ${frame}`).toMatch(/^teredoscope: /);
      expect(seen.get(30)).toBe('teredoscope: hole punch: connectivity test: echo request to 2001:4860:0:2001::68 via server');
      const filtered = execFileSync('tshark', ['-r', output, '-Y', 'frame.comment contains "teredoscope"', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
      expect(filtered.trim().split('\n').map(Number)).toEqual([6, 7, 29, 30, 31, 32, 33, 34]);
    }
  });

  it('keeps comments already in a pcapng and adds the findings', async () => {
    // First pass gives a pcapng with comments; annotating it again keeps them and adds the new ones.
    const once = join(scratch, 'offline-1.pcapng');
    const twice = join(scratch, 'offline-2.pcapng');
    expect((await runCli(['annotate', 'fixtures/real/miredo/miredo-offline-inside.pcap', '-o', once, '-q'])).code).toBe(0);
    const run = await runCli(['annotate', once, '-o', twice]);
    expect(run.code).toBe(0);
    const first = readPcapngComments(once).comments;
    const second = readPcapngComments(twice).comments;
    expect(first.get(3)).toEqual([
      'teredoscope: qualification: RS to primary 192.0.2.10, nonce 033d814ff55c7846 [unanswered: no RA with this nonce]',
      expect.stringMatching(/^teredoscope: finding offline \(error\)/),
    ]);
    for (const frame of [3, 4, 5]) expect(second.get(frame)).toEqual([...(first.get(frame) ?? []), ...(first.get(frame) ?? [])]);
    expect(await packets(twice)).toEqual(await packets(once));
  });

  it('makes sense of every Miredo capture', async () => {
    const expected: Record<string, number[]> = {
      'miredo-port-preserving-outside.pcap': [3, 4, 5, 7, 10, 11, 12],
      'miredo-client-to-client-inside.pcap': [3, 4, 5, 6, 7, 8],
      'miredo-symmetric-outside.pcap': [3, 4, 5, 7, 10, 11, 12, 22, 23, 24, 12, 14, 16, 26],
    };
    for (const [name, frames] of Object.entries(expected)) {
      const output = join(scratch, `${name}.pcapng`);
      const run = await runCli(['annotate', `fixtures/real/miredo/${name}`, '-o', output, '-q']);
      expect(run.code, name).toBe(0);
      expect([...readPcapngComments(output).comments.keys()].sort((a, b) => a - b), name).toEqual([...new Set(frames)].sort((a, b) => a - b));
    }
  });

  it('refuses standard input and writing over its input; leaves no file for a non-capture', async () => {
    const stdin = await runCli(['annotate', '-', '-o', join(scratch, 'x.pcapng')], { stdin: readFileSync(SAMPLE) });
    expect(stdin.code).toBe(2);
    const same = await runCli(['annotate', SAMPLE, '-o', SAMPLE]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('--output must not be the input file');
    const text = join(scratch, 'text.pcap');
    writeFileSync(text, 'not a capture at all');
    const output = join(scratch, 'never.pcapng');
    const bad = await runCli(['annotate', text, '-o', output]);
    expect(bad.code).toBe(3);
    expect(existsSync(output)).toBe(false);
  });

  it('exits 4 on a truncated capture after writing what it could', async () => {
    const bytes = readFileSync(SAMPLE);
    const cut = join(scratch, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    const output = join(scratch, 'cut.pcapng');
    const run = await runCli(['annotate', cut, '-o', output, '-q']);
    expect(run.code).toBe(4);
    expect((await packets(output)).length).toBe(77);
    expect([...readPcapngComments(output).comments.keys()]).toContain(6);
  });
});
