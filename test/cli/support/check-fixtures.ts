import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './run-cli.js';

/** Traces and an expectation file shared by the `check` CLI tests. */
export const SAMPLE = 'fixtures/real/wireshark-teredo.pcap';
export const SCENARIOS = 'fixtures/synthetic/scenarios';
export const SYMMETRIC = `${SCENARIOS}/symmetric-inside.pcap`;
export const RESTRICTED = `${SCENARIOS}/restricted-inside.pcap`;
export const MIREDO_SYMMETRIC = 'fixtures/real/miredo/miredo-symmetric-outside.pcap';
export const MIREDO_CONE = 'fixtures/real/miredo/miredo-port-preserving-outside.pcap';

export function scratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'teredoscope-check-'));
}

export function removeScratch(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** An expectation file for wireshark-teredo.pcap (8 checks) with the client's NAT type as given; natType is on line 7. */
export function sampleExpectations(natType: string): string {
  return [
    'traces:',
    `  - trace: ${resolve(REPO_ROOT, SAMPLE)}`,
    '    clientCount: 1',
    '    findings: {}',
    '    clients:',
    '      - client: 192.168.2.16:3797',
    `        natType: ${natType}`,
    '        qualified: true',
    '        relay: 83.170.1.38:32900',
    '        holePunch: success',
    '    checks:',
    '      - clients[?teredoAddress=="2001:0:4137:9e50:8000:f12a:b9c8:2815"].mapped.port == 3797',
    "      - { select: 'findings[kind=missing-relay]', count: 0 }",
  ].join('\n');
}
