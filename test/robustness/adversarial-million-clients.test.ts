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
 * analysis memory test (test/analysis/memory.test.ts, which checks the analyzer alone with answered
 * clients); ROBUSTNESS_CLIENTS and ROBUSTNESS_CLIENT_SPACING change the count and the spacing.
 */

const CLIENTS = Number(process.env.ROBUSTNESS_CLIENTS ?? 1_000_000);
const SPACING_SECONDS = Number(process.env.ROBUSTNESS_CLIENT_SPACING ?? 0.01);
/** Measured about 350 MB on a busy 2-core machine; the million summaries alone take ~100 MB. */
const RSS_LIMIT_MB = 500;
const TIME_LIMIT_S = 240;

const file = scratchDirectory('million-clients');
const SERVER = parseIpv4('198.51.100.80')!;
const ETHERNET = 14;
const UDP = ETHERNET + 20;
const NONCE = UDP + 8 + 4;

/** Writes the capture; client i is 11.0.0.0 + i, port 1024 + i mod 60000, nonce ending in i. */
async function writeClients(path: string): Promise<void> {
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
  for (let client = 0; client < CLIENTS; client++) {
    view.setUint32(ETHERNET + 12, (0x0b000000 + client) >>> 0);
    view.setUint16(UDP, 1024 + (client % 60000));
    view.setUint32(NONCE + 4, client);
    const micros = Math.round(client * SPACING_SECONDS * 1e6);
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

describe(`${CLIENTS.toLocaleString('en')} distinct fake clients`, () => {
  it('each sending an RS: analyze --format json reports every one, in bounded memory and time', async () => {
    const path = file('clients.pcap');
    await writeClients(path);
    const ids = occurrenceCounter('\n      "id": "11.');
    const unknown = occurrenceCounter('"natType": "unknown"');
    let head = '';
    let last = '';
    const run = await runCli(['analyze', '--format', 'json', path], {
      timeoutMs: TIME_LIMIT_S * 1000,
      onStdout: (chunk) => {
        if (head.length < 4096) head += chunk.toString('utf8', 0, Math.min(chunk.length, 4096));
        last = chunk.toString('utf8', Math.max(0, chunk.length - 64));
        ids.feed(chunk);
        unknown.feed(chunk);
      },
    });
    console.log(`${CLIENTS} clients through analyze: ${run.seconds.toFixed(1)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(head).toMatch(new RegExp(`"packets": ${CLIENTS},\\s+"teredoPackets": ${CLIENTS},\\s+"truncated": false`));
    expect(last).toMatch(/"findings": \[\],\s+"findingsOmitted": \{\}\s+\}\s*$/);
    expect(ids.count).toBe(CLIENTS);
    expect(unknown.count).toBe(CLIENTS);
    expect(run.maxRssMb).toBeLessThan(RSS_LIMIT_MB);
    expect(run.seconds).toBeLessThan(TIME_LIMIT_S);
  }, (TIME_LIMIT_S + 60) * 1000);
});
