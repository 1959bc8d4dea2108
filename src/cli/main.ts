import type { Readable, Writable } from 'node:stream';
import yargs from 'yargs';
import type { CommandContext } from './command-context.js';
import { registerAnalyze } from './commands/analyze-command.js';
import { registerDecode } from './commands/decode-command.js';
import { registerDissect } from './commands/dissect-command.js';
import { registerEncode } from './commands/encode-command.js';
import { registerMerge } from './commands/merge-command.js';
import { ExitCode, EXIT_CODES_HELP, worseExit, type ExitCodeValue } from './exit-codes.js';
import { packageVersion } from './package-version.js';
import { protectStdinArgument } from './stdin-argument.js';
import { UsageError } from './usage-error.js';

export interface MainIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

const PROGRAM = 'teredoscope';

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
    warn: (message) => {
      io.stderr.write(`${PROGRAM}: ${message}\n`);
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
  cli = registerDecode(cli, context);
  cli = registerEncode(cli, context);
  cli = registerDissect(cli, context);
  cli = registerMerge(cli, context);

  // yargs prints help/version through console; route it to the given streams.
  const restoreConsole = redirectConsole(io);
  try {
    await cli.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) usageFailure = error.message;
    else throw error;
  } finally {
    restoreConsole();
  }

  if (usageFailure !== null) {
    io.stderr.write(`${PROGRAM}: ${usageFailure}\nRun '${PROGRAM} --help' for usage.\n`);
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
