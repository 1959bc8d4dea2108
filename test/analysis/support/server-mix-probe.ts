import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../cli/support/run-cli.js';

/** What one analysis of the server-vantage mix concluded, from a Node process of its own (on dist/). */
export interface ServerMixRun {
  /** One line per client: id, plan, NAT type, qualified, punch outcomes, finding kinds. */
  verdicts: string[];
  /** Error findings, counting those the finding log omitted past its per-kind cap (all kinds omitted are counted). */
  errors: number;
  clientLimitFindings: number;
  /** Peak resident set size of the process, bytes. */
  maxRss: number;
}

const PROBE = `
const [dist, clients, maxLive] = process.argv.slice(1);
const { generateServerVantageMix } = await import(dist + '/synth/server-vantage-mix.js');
const { serverMixPlan } = await import(dist + '/synth/server-vantage-mix.js');
const { TeredoAnalyzer } = await import(dist + '/analysis/teredo-analyzer.js');
const { PacketDecoder } = await import(dist + '/decode/packet-decoder.js');
const { makeCaptureRecord } = await import(dist + '/synth/frame-record.js');
const { TeredoDissector } = await import(dist + '/teredo/dissector.js');
const decoder = new PacketDecoder();
const dissector = new TeredoDissector();
const analyzer = new TeredoAnalyzer(maxLive === 'default' ? {} : { maxLiveClients: Number(maxLive) });
let frame = 0;
generateServerVantageMix({ clients: Number(clients) }, (seconds, nanos, bytes) => {
  const datagram = decoder.decode(makeCaptureRecord(bytes, { linkType: 1, seconds, nanos, frame: ++frame }));
  const packet = datagram === null ? null : dissector.dissectInPlace(datagram);
  if (packet !== null) analyzer.add(packet);
});
const result = analyzer.finish();
const verdicts = [];
for (const c of result.clients) verdicts.push([c.id, c.natType, c.qualified, c.holePunches.map((p) => p.outcome + ':' + (p.missingStep ?? '-')).join('+'), c.findings.join('+')].join(' '));
verdicts.sort();
const errors = result.findings.filter((f) => f.severity === 'error').length + Object.values(result.findingsOmitted).reduce((a, b) => a + b, 0);
const clientLimitFindings = result.findings.filter((f) => f.kind === 'client-limit').length;
console.log(JSON.stringify({ verdicts, errors, clientLimitFindings, maxRss: process.resourceUsage().maxRSS * 1024 }));
`;

/** Analyses a server-vantage mix of `clients` clients with `maxLiveClients` (or the default) in a child process. */
export function runServerMix(clients: number, maxLiveClients: number | 'default'): ServerMixRun {
  const dist = pathToFileURL(join(REPO_ROOT, 'dist')).href;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE, dist, String(clients), String(maxLiveClients)], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`server mix probe failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as ServerMixRun;
}
