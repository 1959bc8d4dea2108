import { readCapture } from '../capture/reader.js';

/**
 * Child-process probe: the project's capture reader alone, iterating every record and touching its
 * length, nothing decoded. Prints what it read as one JSON line.
 */
const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: run-bare-reader.js FILE\n');
  process.exit(2);
}
let frames = 0;
let captured = 0;
const summary = await readCapture(file, (record) => {
  frames++;
  captured += record.capturedLength;
});
process.stdout.write(`${JSON.stringify({ frames, captured, bytes: summary.bytes, format: summary.format })}\n`);
