import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { parseIpv4 } from '../../src/decode/ip-address.js';
import { buildIpv4Udp, encapsulate } from '../../src/synth/frame-builder.js';
import { routerSolicitation } from '../../src/synth/teredo-payload.js';
import { runCli } from './support/measured-cli.js';
import { scratchDirectory } from './support/scratch-files.js';

/*
 * A million distinct fake Teredo clients, each sending one Router Solicitation (cone flag,
 * authentication nonce) to a server from its own public socket, end to end through the CLI:
 * `teredoscope analyze --format json`, whose report must list every one of them, in bounded
 * memory (the RSS of the CLI process itself) and time. The clients start 10 ms apart, as in the
 * analysis memory test (test/analysis/memory.slow.test.ts, which checks the analyzer alone with answered
 * clients); ROBUSTNESS_CLIENTS and ROBUSTNESS_CLIENT_SPACING change the count and the spacing.
 *
 * A second run packs FLOOD_CLIENTS fake clients 10 µs apart: far more clients active at once than
 * --max-live-clients, so the analysis closes active clients early. Memory must stay bounded all
 * the same (before the cap a million of them took 1.5 GB), every client is still reported, and the
 * report says it was approximate with one client-limit finding.
 */

const CLIENTS = Number(process.env.ROBUSTNESS_CLIENTS ?? 1_000_000);
const SPACING_SECONDS = Number(process.env.ROBUSTNESS_CLIENT_SPACING ?? 0.01);
const FLOOD_CLIENTS = 300_000;
const FLOOD_SPACING_SECONDS = 0.00001;
/** Measured 226 MB (350 MB before the live-client cap); the million summaries alone take ~100 MB. */
const RSS_LIMIT_MB = 500;
const TIME_LIMIT_S = 240;

const file = scratchDirectory('million-clients');
const SERVER = parseIpv4('198.51.100.80')!;
const ETHERNET = 14;
const UDP = ETHERNET + 20;
const NONCE = UDP + 8 + 4;

/** Writes the capture; client i is 11.0.0.0 + i, port 1024 + i mod 60000, nonce ending in i. */
async function writeClients(path: string, clients: number, spacingSeconds: number): Promise<void> {
  const frame = encapsulate(
    buildIpv4Udp({ srcIp: 0, dstIp: SERVER, srcPort: 0, dstPort: 3544, payload: routerSolicitation({ cone: true, auth: { nonce: new Uint8Array(8) } }) }),
    { linkType: 1 },
  );
  const view = new DataView(frame.buffer);
  // Neither checksum is verified by the decoder; zero means "none" for UDP.
  view.setUint16(ETHERNET + 10, 0);
  view.setUint16(UDP + 6, 0);
  const out = createWriteStream(path);
  let pending: Uint8Array[] = [];
  let size = 0;
  const writer = new PcapWriter((chunk) => {
    pending.push(chunk);
    size += chunk.length;
  }, { linkType: 1 });
  for (let client = 0; client < clients; client++) {
    view.setUint32(ETHERNET + 12, (0x0b000000 + client) >>> 0);
    view.setUint16(UDP, 1024 + (client % 60000));
    view.setUint32(NONCE + 4, client);
    const micros = Math.round(client * spacingSeconds * 1e6);
    writer.write({ seconds: 1_700_000_000 + Math.floor(micros / 1e6), nanos: (micros % 1e6) * 1000, data: frame });
    if (size >= 1 << 20) {
      if (!out.write(Buffer.concat(pending))) await once(out, 'drain');
      pending = [];
      size = 0;
    }
  }
  out.end(Buffer.concat(pending));
  await once(out, 'finish');
}

/** Counts occurrences of `pattern` in a stream of chunks without keeping the stream. */
function occurrenceCounter(pattern: string): { feed: (chunk: Buffer) => void; readonly count: number } {
  const needle = Buffer.from(pattern);
  let tail = Buffer.alloc(0);
  let count = 0;
  return {
    feed(chunk) {
      const text = Buffer.concat([tail, chunk]);
      for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
      tail = text.subarray(Math.max(0, text.length - needle.length + 1));
    },
    get count() {
      return count;
    },
  };
}

interface Scenario {
  name: string;
  clients: number;
  spacingSeconds: number;
  /** The end of the report: its findings. */
  findingsTail: RegExp;
  rssLimitMb: number;
  /** --max-live-clients, when the scenario sets it. */
  maxLiveClients?: number;
}

const SCENARIOS: Scenario[] = [
  { name: `${CLIENTS.toLocaleString('en')} clients ${SPACING_SECONDS * 1000} ms apart`, clients: CLIENTS, spacingSeconds: SPACING_SECONDS, findingsTail: /"findings": \[\],\s+"findingsOmitted": \{\}\s+\}\s*$/, rssLimitMb: RSS_LIMIT_MB },
  {
    name: `a flood: ${FLOOD_CLIENTS.toLocaleString('en')} clients 10 µs apart`,
    clients: FLOOD_CLIENTS,
    spacingSeconds: FLOOD_SPACING_SECONDS,
    // Measured 174 MB; 450+ MB when closed clients stayed reachable from the server pairing.
    rssLimitMb: 300,
    // The cap engaged on purpose: the default is now sized from a memory budget (issue 12, defect 10) and would hold most of these.
    maxLiveClients: 4096,
    findingsTail: new RegExp(`"message": "more than 4096 clients were active at once: ${FLOOD_CLIENTS - 4096} clients were closed out while still active[^"]*",\\s+"displayFilter": "[^"]*",\\s+"capture": 0\\s+\\}\\s+\\],\\s+"findingsOmitted": \\{\\}\\s+\\}\\s*$`),
  },
];

describe('distinct fake clients, each sending an RS', () => {
  it.each(SCENARIOS)('$name: analyze --format json reports every one, in bounded memory and time', async ({ name, clients, spacingSeconds, findingsTail, rssLimitMb, maxLiveClients }) => {
    const path = file(`clients-${clients}-${spacingSeconds}.pcap`);
    await writeClients(path, clients, spacingSeconds);
    const ids = occurrenceCounter('\n      "id": "11.');
    const unknown = occurrenceCounter('"natType": "unknown"');
    let head = '';
    let tail = '';
    const cap = maxLiveClients === undefined ? [] : ['--max-live-clients', String(maxLiveClients)];
    const run = await runCli(['analyze', '--format', 'json', ...cap, path], {
      timeoutMs: TIME_LIMIT_S * 1000,
      onStdout: (chunk) => {
        if (head.length < 4096) head += chunk.toString('utf8', 0, Math.min(chunk.length, 4096));
        tail = (tail + chunk.toString('utf8', Math.max(0, chunk.length - 4096))).slice(-4096);
        ids.feed(chunk);
        unknown.feed(chunk);
      },
    });
    console.log(`${name} through analyze: ${run.seconds.toFixed(1)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(head).toMatch(new RegExp(`"packets": ${clients},\\s+"teredoPackets": ${clients},\\s+"truncated": false`));
    expect(tail).toMatch(findingsTail);
    expect(ids.count).toBe(clients);
    expect(unknown.count).toBe(clients);
    expect(run.maxRssMb).toBeLessThan(rssLimitMb);
    expect(run.seconds).toBeLessThan(TIME_LIMIT_S);
  }, (TIME_LIMIT_S + 60) * 1000);
});
