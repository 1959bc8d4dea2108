import type { Readable, Writable } from 'node:stream';
import yargs from 'yargs';
import type { CommandContext } from './command-context.js';
import { registerAnalyze } from './commands/analyze-command.js';
import { registerCheck } from './commands/check-command.js';
import { registerAnnotate } from './commands/annotate-command.js';
import { registerDecode } from './commands/decode-command.js';
import { registerDissect } from './commands/dissect-command.js';
import { registerEncode } from './commands/encode-command.js';
import { registerMerge } from './commands/merge-command.js';
import { ExitCode, EXIT_CODES_HELP, worseExit, type ExitCodeValue } from './exit-codes.js';
import { escapeControl } from './render/control-escape.js';
import { packageVersion } from './package-version.js';
import { protectStdinArgument } from './stdin-argument.js';
import { typed } from './option-values.js';
import { UsageError } from './usage-error.js';

// The bundle's entry is this module: the launcher takes both functions from it.
export { processArguments } from './process-arguments.js';

export interface MainIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

const PROGRAM = 'teredoscope';
const COMMANDS = ['analyze', 'dissect', 'decode', 'encode'];

/** Runs the command line and resolves to the exit code; never throws for expected failures. */
export async function main(argv: string[], io: MainIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }): Promise<number> {
  let exitCode: ExitCodeValue = ExitCode.ok;
  const stdoutIsTty = (io.stdout as Writable & { isTTY?: boolean }).isTTY === true;
  const context: CommandContext = {
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    color: stdoutIsTty && io.env.NO_COLOR === undefined,
    exit: (code) => {
      exitCode = worseExit(exitCode, code);
    },
    // File names and packet text reach every diagnostic: escaped here, once, so that a name holding
    // ESC or a newline can neither drive the terminal nor split the one-line error.
    warn: (message) => {
      io.stderr.write(`${PROGRAM}: ${escapeControl(message)}\n`);
    },
  };

  let usageFailure: string | null = null;
  let cli = yargs(protectStdinArgument(argv))
    .scriptName(PROGRAM)
    .usage(`$0 <command> [options]\n\nFinds every Teredo packet in pcap/pcapng captures and explains what happened.`)
    .strict()
    .demandCommand(1, 'Name a command.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .exitProcess(false)
    .wrap(Math.min(110, (io.stdout as Writable & { columns?: number }).columns ?? 100))
    .epilogue(EXIT_CODES_HELP)
    .fail((message: string | undefined, error: Error | undefined) => {
      // Throwing is the only way to stop yargs from running the handler after a validation failure
      // when exitProcess is off; programming errors pass through untouched.
      throw error ?? new UsageError(message ?? 'invalid usage');
    });
  cli = registerAnalyze(cli, context);
  cli = registerCheck(cli, context);
  cli = registerDecode(cli, context);
  cli = registerEncode(cli, context);
  cli = registerDissect(cli, context);
  cli = registerAnnotate(cli, context);
  cli = registerMerge(cli, context);

  // yargs prints help/version through console; route it to the given streams.
  const restoreConsole = redirectConsole(io);
  try {
    await cli.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) usageFailure = quoteUnknown(error.message, argv);
    else throw error;
  } finally {
    restoreConsole();
  }

  if (usageFailure !== null) {
    // One line, like every other error: what was wrong, and where the usage is.
    const command = argv.find((arg) => COMMANDS.includes(arg));
    io.stderr.write(`${PROGRAM}: ${escapeControl(usageFailure.replace(/\s*\n\s*/g, ' '))} (see '${PROGRAM}${command === undefined ? '' : ` ${command}`} --help')\n`);
    return ExitCode.usage;
  }
  return exitCode;
}

function redirectConsole(io: MainIo): () => void {
  const { log, error } = console;
  console.log = (...parts: unknown[]) => io.stdout.write(parts.map(String).join(' ') + '\n');
  console.error = (...parts: unknown[]) => io.stderr.write(parts.map(String).join(' ') + '\n');
  return () => {
    console.log = log;
    console.error = error;
  };
}

/**
 * yargs reports `--frobnicate` as "Unknown argument: frobnicate"; say what was typed instead, as
 * every other usage error does.
 */
function quoteUnknown(message: string, argv: readonly string[]): string {
  const command = argv.find((arg) => !arg.startsWith('-'));
  const suggestion = /^Did you mean (\S+)\?$/.exec(message);
  if (suggestion !== null && command !== undefined) return `unknown command ${typed(command)}; did you mean ${suggestion[1]}?`;
  const match = /^Unknown arguments?: (.*)$/s.exec(message);
  if (match === null) return message;
  if (command !== undefined && !COMMANDS.includes(command) && match[1].split(', ').includes(command)) return `unknown command ${typed(command)} (commands: ${COMMANDS.join(', ')})`;
  const typedAs = match[1].split(', ').map((name) => argv.find((arg) => arg === name || arg.replace(/^-+/, '').split('=')[0] === name) ?? name);
  const options = typedAs.filter((arg) => arg.startsWith('-'));
  const words = typedAs.filter((arg) => !arg.startsWith('-'));
  const parts: string[] = [];
  if (options.length > 0) parts.push(`unknown option${options.length === 1 ? '' : 's'} ${options.map(typed).join(', ')}`);
  if (words.length > 0) parts.push(`unexpected argument${words.length === 1 ? '' : 's'} ${words.map(typed).join(', ')}`);
  return parts.join('; ');
}
