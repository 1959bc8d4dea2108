#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built by `npm run build` to dist/, then
// bundled into one file (scripts/bundle-cli.mjs) so that a run reads and compiles one module.
import { main } from '../dist/cli/teredoscope.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // Last-resort guard: main() already maps every expected failure to a message and exit code.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`teredoscope: internal error: ${message}\n`);
    process.exitCode = 70;
  },
);
