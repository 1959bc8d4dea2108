#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and built to dist/ by `npm run build`.
import { main } from '../dist/cli/main.js';
import { processArguments } from '../dist/cli/process-arguments.js';

main(processArguments()).then(
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
