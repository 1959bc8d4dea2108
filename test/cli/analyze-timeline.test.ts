import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureToBuffer, writeCaptureFile } from '../../src/capture/capture-file.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { readCapture } from '../../src/capture/reader.js';
import { checkJsonSchema } from '../../src/report/json-schema-check.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/report-json-schema.js';
import { runCli } from './support/run-cli.js';

/** `analyze` over several files: one timeline, frames attributed to their files. */

const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
const SCENARIOS = 'fixtures/synthetic/scenarios/';
const MIREDO = 'fixtures/real/miredo/';
const root = mkdtempSync(join(tmpdir(), 'teredoscope-timeline-'));

interface Location {
  capture: number;
  frames: number[];
  displayFilter: string;
}
interface JsonPunch {
  outcome: string;
  frames: number[];
  capture?: number;
  locations?: Location[];
  [field: string]: unknown;
}
interface JsonClient {
  id: string;
  natType: string;
  qualified: boolean;
  vantage: string;
  capture: number;
  firstFrame: number;
  lastFrame: number;
  lastCapture?: number;
  holePunches: JsonPunch[];
  [field: string]: unknown;
}
interface JsonFinding {
  kind: string;
  severity: string;
  client: string | null;
  frames: number[];
  displayFilter: string;
  capture: number;
  locations?: Location[];
  message: string;
}
interface JsonReport {
  captures: Array<{ file: string; packets: number; teredoPackets: number; truncated: boolean }>;
  clients: JsonClient[];
  findings: JsonFinding[];
}

/**
 * Cuts a capture into rotated files after the given frames, as a ring buffer would, written by the
 * project's capture writer into a fresh directory. Returns the file paths in time order.
 */
async function rotate(source: string, cutsAfter: number[], name: string): Promise<string[]> {
  const frames: { seconds: number; nanos: number; data: Uint8Array }[] = [];
  await readCapture(source, (r) => {
    frames.push({ seconds: r.seconds, nanos: r.nanos, data: Uint8Array.from(r.buffer.subarray(r.offset, r.offset + r.capturedLength)) });
  });
  const dir = join(root, name);
  mkdirSync(dir);
  const bounds = [0, ...cutsAfter, frames.length];
  const paths: string[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const bytes = captureToBuffer((sink) => {
      const writer = new PcapWriter(sink, { linkType: 1 });
      for (const f of frames.slice(bounds[i], bounds[i + 1])) writer.write(f);
    });
    const path = join(dir, `ring_${String(i + 1).padStart(5, '0')}.pcap`);
    await writeCaptureFile(path, bytes);
    paths.push(path);
  }
  return paths;
}

async function analyzeJson(args: string[], code = 0): Promise<{ report: JsonReport; text: string; stderr: string }> {
  const run = await runCli(['analyze', '--format', 'json', ...args]);
  expect(run.code, run.stderr).toBe(code);
  const report = JSON.parse(run.stdout) as JsonReport;
  expect(checkJsonSchema(report, REPORT_JSON_SCHEMA)).toEqual([]);
  return { report, text: run.stdout, stderr: run.stderr };
}

const POSITION_FIELDS = new Set(['capture', 'firstFrame', 'lastFrame', 'lastCapture', 'frames', 'locations']);
const withoutPositions = (value: object): Record<string, unknown> => Object.fromEntries(Object.entries(value).filter(([field]) => !POSITION_FIELDS.has(field)));

/** What does not depend on where the frames are: everything but the frame positions. */
function verdict(client: JsonClient): Record<string, unknown> {
  return { ...withoutPositions(client), holePunches: client.holePunches.map(withoutPositions) };
}

describe('rotated files of one capture are one timeline', () => {
  it('wireshark-teredo.pcap cut after frame 31: one client whose hole punch spans both files, in any argument order or as a directory', async () => {
    const [first, second] = await rotate(SAMPLE, [31], 'sample');
    const whole = (await analyzeJson([SAMPLE])).report;
    const forward = await analyzeJson([first, second]);
    const backward = await analyzeJson([second, first]);
    const directory = await analyzeJson([join(root, 'sample')]);
    // Captures are ordered by their first packet: the argument order changes nothing.
    expect(backward.text).toBe(forward.text);
    expect(directory.text).toBe(forward.text);

    const { report } = forward;
    expect(report.captures.map((c) => [c.file, c.packets, c.teredoPackets])).toEqual([
      [first, 31, 5],
      [second, 47, 24],
    ]);
    expect(report.clients).toHaveLength(1);
    const client = report.clients[0];
    expect(client).toMatchObject({ id: '192.168.2.16:3797', natType: 'cone', qualified: true, capture: 0, firstFrame: 6, lastCapture: 1, lastFrame: whole.clients[0].lastFrame - 31 });
    // Qualification in file 1, relay bubble in file 1, client bubble and echo reply in file 2.
    expect(client.holePunches).toEqual([
      expect.objectContaining({
        outcome: 'success',
        capture: 0,
        frames: [30, 31],
        locations: [
          { capture: 0, frames: [30, 31], displayFilter: 'frame.number == 30 || frame.number == 31' },
          { capture: 1, frames: [1, 2], displayFilter: 'frame.number == 1 || frame.number == 2' },
        ],
      }),
    ]);
    // Everything else is what the uncut capture gives.
    expect(verdict(client)).toEqual(verdict(whole.clients[0]));
    expect(report.findings).toEqual([]);
  });

  it('pairs an RS in one file with its RA in the next (symmetric-inside cut after frame 6)', async () => {
    const source = `${SCENARIOS}symmetric-inside.pcap`;
    const files = await rotate(source, [6], 'symmetric');
    const whole = (await analyzeJson([source])).report;
    const { report } = await analyzeJson(files);
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({ natType: 'symmetric', qualified: false, rsRaRoundTripMs: 120, capture: 0, firstFrame: 1, lastCapture: 1, lastFrame: 1 });
    expect(verdict(report.clients[0])).toEqual(verdict(whole.clients[0]));
    // The evidence: the primary's RA (frame 5 of file 1) and the secondary's (frame 1 of file 2).
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'symmetric-nat',
        severity: 'error',
        capture: 0,
        frames: [5],
        displayFilter: 'frame.number == 5',
        locations: [
          { capture: 0, frames: [5], displayFilter: 'frame.number == 5' },
          { capture: 1, frames: [1], displayFilter: 'frame.number == 1' },
        ],
      }),
    ]);
    expect(report.findings[0].message).toContain(`(frame ${files[0]}:5)`);
    expect(report.findings[0].message).toContain(`(frame ${files[1]}:1)`);
  });

  it('keeps the qualification of a restricted NAT whose first answered RS is the last frame of a file', async () => {
    const source = `${SCENARIOS}restricted-inside.pcap`;
    const files = await rotate(source, [4], 'restricted');
    const whole = (await analyzeJson([source])).report;
    const { report } = await analyzeJson(files);
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({ natType: 'restricted', qualified: true, qualificationMs: whole.clients[0].qualificationMs });
    expect(verdict(report.clients[0])).toEqual(verdict(whole.clients[0]));
    expect(report.findings).toEqual([]);
  });

  it('reports a truncated file in the middle (exit 4), analyses what it held and reads the files after it', async () => {
    const [first, middle, last] = await rotate(SAMPLE, [31, 41], 'truncated');
    const bytes = readFileSync(middle);
    writeFileSync(middle, bytes.subarray(0, bytes.length - 20));
    const { report, stderr } = await analyzeJson([join(root, 'truncated')], 4);
    expect(stderr).toContain(`${middle}: truncated after frame 9`);
    expect(report.captures.map((c) => [c.file, c.packets, c.truncated])).toEqual([
      [first, 31, false],
      [middle, 9, true],
      [last, 37, false],
    ]);
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({ natType: 'cone', qualified: true, lastCapture: 2 });
    expect(report.clients[0].holePunches.map((p) => p.outcome)).toEqual(['success']);
    expect(report.findings.map((f) => [f.kind, f.capture, f.frames])).toEqual([['truncated-capture', 1, [9]]]);
    expect(report.findings[0].message).toMatch(/ends early after frame 9 /);
  });

  it('reports an unreadable file among them (exit 3) and analyses the others as one timeline', async () => {
    const [first, second] = await rotate(SAMPLE, [31], 'unreadable');
    const junk = join(root, 'unreadable', 'ring_00001b.pcap');
    writeFileSync(junk, 'not a capture at all');
    const { report, stderr } = await analyzeJson([first, junk, second], 3);
    expect(stderr).toContain(`${junk}: not a capture file`);
    expect(report.captures.map((c) => [c.file, c.packets])).toEqual([
      [junk, 0],
      [first, 31],
      [second, 47],
    ]);
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({ capture: 1, lastCapture: 2, natType: 'cone' });
    expect(report.clients[0].holePunches[0].locations?.map((l) => [l.capture, l.frames])).toEqual([
      [1, [30, 31]],
      [2, [1, 2]],
    ]);
  });
});

describe('captures of the same traffic inside and outside the NAT', () => {
  // Decision: one client per vantage point. Each row is what that capture proves (the outside may
  // see what the inside cannot), its frames all lie in that capture, and the two rows share the
  // Teredo address (the inside row's mapped socket is the outside row's id).
  for (const [name, base] of [
    ['real Miredo, port-preserving NAT', `${MIREDO}miredo-port-preserving`],
    ['real Miredo, symmetric NAT (two public ports)', `${MIREDO}miredo-symmetric`],
    ['synthetic, failed hole punch', `${SCENARIOS}failed-punch`],
  ] as const) {
    it(`${name}: a client per vantage point, each as its own capture shows it`, async () => {
      const inside = `${base}-inside.pcap`;
      const outside = `${base}-outside.pcap`;
      const insideAlone = (await analyzeJson([inside])).report;
      const outsideAlone = (await analyzeJson([outside])).report;
      const { report } = await analyzeJson([outside, inside]);
      const index = (file: string): number => report.captures.findIndex((c) => c.file === file);
      const expected = [...insideAlone.clients.map(() => ['inside', index(inside), index(inside)]), ...outsideAlone.clients.map(() => ['outside', index(outside), index(outside)])];
      expect(report.clients.map((c) => String([c.vantage, c.capture, c.lastCapture])).sort()).toEqual(expected.map(String).sort());
      const byId = new Map(report.clients.map((c) => [c.id, c]));
      for (const [alone, file] of [
        [insideAlone, inside],
        [outsideAlone, outside],
      ] as const) {
        for (const client of alone.clients) {
          const merged = byId.get(client.id);
          expect(merged, client.id).toBeDefined();
          expect(verdict(merged!)).toEqual(verdict(client));
          expect([merged!.firstFrame, merged!.lastFrame]).toEqual([client.firstFrame, client.lastFrame]);
          expect(merged!.holePunches.map((p) => p.locations)).toEqual(client.holePunches.map((p) => [{ capture: index(file), frames: p.frames, displayFilter: expect.any(String) }]));
        }
        for (const finding of alone.findings) {
          expect(report.findings).toContainEqual(expect.objectContaining({ kind: finding.kind, client: finding.client, capture: index(file), frames: finding.frames, displayFilter: finding.displayFilter }));
        }
      }
      expect(report.findings).toHaveLength(insideAlone.findings.length + outsideAlone.findings.length);
      const teredo = new Set(report.clients.map((c) => c.teredoAddress).filter((a) => a !== null));
      expect(teredo.size).toBeGreaterThan(0);
      for (const address of teredo) expect(report.clients.filter((c) => c.teredoAddress === address).map((c) => c.vantage).sort()).toEqual(['inside', 'outside']);
    });
  }
});

describe('the table for a person', () => {
  it('numbers the captures and shows each finding\'s frames per file', async () => {
    const files = await rotate(`${SCENARIOS}symmetric-inside.pcap`, [6], 'table');
    const run = await runCli(['analyze', ...files]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`[1] ${files[0]} (pcap): 6 packets`);
    expect(run.stdout).toContain(`[2] ${files[1]} (pcap): 1 packet`);
    expect(run.stdout).toContain('192.168.1.10:40000 [1–2]');
    expect(run.stdout).toContain(`symmetric-nat  client 192.168.1.10:40000  ${files[0]} frame 5, ${files[1]} frame 1`);
    expect(run.stdout).toContain(`filter (${files[1]}): frame.number == 1`);
  });
});
