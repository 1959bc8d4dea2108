import { streamTeredoPackets } from '../cli/teredo-stream.js';

/**
 * Child-process probe: reading, link/IP/UDP decode and Teredo dissection of every packet, as
 * analyze does them, with no analysis and no output: what the analysis costs is analyze's time
 * less this row's. Prints what it read as one JSON line.
 */
const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: run-dissect-only.js FILE\n');
  process.exit(2);
}
let teredo = 0;
const result = await streamTeredoPackets(file, () => {
  teredo++;
});
if (result.error !== null) {
  process.stderr.write(`${result.error.message}\n`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ frames: result.frames, teredo })}\n`);
