// Bundles the compiled CLI (dist/cli/main.js, its stages and its npm dependencies) into one file,
// dist/cli/teredoscope.js, which bin/teredoscope.js runs. Part of `npm run build`, after tsc.
//
// Why: a command line tool that CI calls once per trace pays its start-up every time. Loading about
// 120 ES modules one by one (resolve, read, compile each) took most of the 0.24 s that
// `teredoscope decode ADDRESS` needed where `node -e 0` takes 0.07 s. One file is read and
// compiled once; the commands' run modules stay lazy (esbuild turns `await import()` of a bundled
// module into a deferred initialiser), so `decode` still does not initialise the analysis stages.
//
// The bundle lives in dist/cli/ so that `new URL('./worker/decode-worker.js', import.meta.url)` in
// worker-teredo-stream.ts still finds the worker that tsc compiled (the worker is not bundled).
import process from 'node:process';
import { build } from 'esbuild';

/**
 * yargs renders the whole help text after every command it runs (to cache it), and its layout code
 * measures every cell with string-width, whose first calls build a large emoji regular expression
 * and an Intl.Segmenter: about 40 ms of each run. The help text is printable ASCII, whose width is
 * its length; this plugin answers that case at once and hands anything else to the real string-width
 * (each importer keeps its own version of it).
 */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(bundler) {
    bundler.onResolve({ filter: /^string-width$/ }, (args) =>
      // ES imports only (yargs' cliui, wrap-ansi); cli-table3 require()s an older CommonJS version.
      args.namespace === 'ascii-string-width' || args.kind !== 'import-statement' ? undefined : { path: args.resolveDir, namespace: 'ascii-string-width' },
    );
    bundler.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (args) => ({
      resolveDir: args.path,
      loader: 'js',
      contents: [
        "import stringWidth from 'string-width';",
        'const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;',
        'export default function asciiFirstStringWidth(text, options) {',
        "  return typeof text === 'string' && PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text, options);",
        '}',
      ].join('\n'),
    }));
  },
};

try {
  await build({
    entryPoints: ['dist/cli/main.js'],
    outfile: 'dist/cli/teredoscope.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Whitespace and syntax only: identifiers stay, so a stack trace still names functions.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // CommonJS dependencies (yaml, cli-table3) require() Node's built-ins, which an ES module bundle
    // can only do through a require of its own.
    banner: { js: "import { createRequire as __teredoscopeRequire } from 'node:module'; const require = __teredoscopeRequire(import.meta.url);" },
    logLevel: 'warning',
    plugins: [asciiStringWidth],
  });
} catch {
  // esbuild has already printed what failed.
  process.exitCode = 1;
}
