import type { Argv } from 'yargs';
import type { CommandContext } from '../command-context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';

export interface AnnotateArgs {
  file: string;
  output: string;
  quiet: boolean;
}

export function registerAnnotate(cli: Argv, context: CommandContext): Argv {
  return cli.command<AnnotateArgs>(
    'annotate <file>',
    'Copy a capture to pcapng with a packet comment on every Teredo step and on the frames of every finding, for Wireshark',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'capture file (pcap or pcapng, optionally gzipped); read three times, so not standard input' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, requiresArg: true, describe: 'pcapng file to write' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print nothing but errors' })
        .example('$0 annotate capture.pcap -o annotated.pcapng', 'then in Wireshark: frame.comment contains "teredoscope"')
        .epilogue(
          'Every packet is kept byte for byte with its timestamp, interface and link type, and comments already in the file ' +
            'stay. Comments read "teredoscope: qualification: RS cone probe to primary 65.55.158.80, nonce …", ' +
            '"teredoscope: hole punch: relay bubble via server, origin 83.170.1.38:32900", "teredoscope: finding …".\n\n' +
            EXIT_CODES_HELP,
        ),
    async (args) => {
      const { runAnnotate } = await import('./annotate-run.js');
      await runAnnotate(args, context);
    },
  );
}
