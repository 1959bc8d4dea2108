#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript, compiled to dist/ and bundled into one file
// (scripts/bundle-cli.mjs) by `npm run build`, which `npm ci`, `npm install` of a git URL and
// `npm pack` run through the `prepare` script.
let main;
let processArguments;
try {
  ({ main, processArguments } = await import('../dist/cli/teredoscope.js'));
} catch (error) {
  if (error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/')) {
    process.stderr.write("teredoscope: not built yet: run 'npm run build' (or 'npm ci') in the teredoscope directory\n");
    process.exit(70);
  }
  throw error;
}

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
