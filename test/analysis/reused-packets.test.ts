import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analysis-result.js';
import { TeredoAnalyzer } from '../../src/analysis/teredo-analyzer.js';
import { streamTeredoPackets } from '../../src/cli/teredo-stream.js';
import { clonePacket } from '../../src/teredo/packet-copy.js';
import type { TeredoPacket } from '../../src/teredo/packet.js';

function files(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pcap') || name.endsWith('.pcapng'))
    .map((name) => `${dir}/${name}`);
}

function snapshot(result: AnalysisResult): string {
  return JSON.stringify({ clients: [...result.clients], findings: result.findings, captures: result.captures }, (_key, value: unknown) =>
    value instanceof Uint8Array ? [...value] : value,
  );
}

/**
 * The analyzer is fed the dissector's reused packet. If it kept any part of one, a later packet
 * would rewrite what it kept: feeding the same packets as owned copies would then differ.
 */
describe('analysis of reused packets', () => {
  // zeek-teredo-udp-in-udp.pcap holds no Teredo at all (it checks detection, not analysis).
  const captures = [...files('fixtures/real'), ...files('fixtures/real/miredo'), ...files('fixtures/synthetic/scenarios')].filter(
    (file) => !file.endsWith('udp-in-udp.pcap'),
  );

  it.each(captures)('%s: same result as from owned copies', async (file) => {
    const reused = new TeredoAnalyzer();
    const owned = new TeredoAnalyzer();
    const kept: TeredoPacket[] = [];
    await streamTeredoPackets(file, (packet) => {
      reused.add(packet);
      kept.push(clonePacket(packet));
    });
    for (const packet of kept) owned.add(packet);
    expect(kept.length).toBeGreaterThan(0);
    expect(snapshot(reused.finish())).toBe(snapshot(owned.finish()));
  });
});
