import { createRequire } from 'node:module';

/**
 * Child-process probe: bare iteration with the npm package pcap-parser (CommonJS, classic
 * microsecond pcap only), the usual choice in Node. Prints the packet count as one JSON line.
 */

interface PcapParserEvents {
  on(event: 'packet', listener: (packet: { header: { capturedLength: number } }) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(input: string): PcapParserEvents };

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: run-pcap-parser.js FILE\n');
  process.exit(2);
}
let frames = 0;
let captured = 0;
pcapParser
  .parse(file)
  .on('packet', (packet) => {
    frames++;
    captured += packet.header.capturedLength;
  })
  .on('end', () => process.stdout.write(`${JSON.stringify({ frames, captured })}\n`))
  .on('error', (error) => {
    process.stderr.write(`pcap-parser: ${error.message}\n`);
    process.exitCode = 1;
  });
