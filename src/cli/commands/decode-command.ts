import type { Argv } from 'yargs';
import { describeAddress, type AddressReport } from '../address-report.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode, EXIT_CODES_HELP } from '../exit-codes.js';
import { readLines } from '../read-lines.js';

interface DecodeArgs {
  address?: string[];
  json: boolean;
}

export function registerDecode(cli: Argv, context: CommandContext): Argv {
  return cli.command<DecodeArgs>(
    'decode [address..]',
    'Decode Teredo IPv6 addresses (server, flags, mapped port and IPv4)',
    (y) =>
      y
        .positional('address', { type: 'string', array: true, describe: 'Teredo addresses; one per line on standard input when none are given' })
        .option('json', { type: 'boolean', default: false, describe: 'one JSON object per address and line (NDJSON)' })
        .example('$0 decode 2001:0:4137:9e50:8000:f12a:b9c8:2815', 'server 65.55.158.80, cone, mapped 70.55.215.234:3797')
        .example('cat addresses.txt | $0 decode --json', 'decode a list')
        .epilogue(`${EXIT_CODES_HELP}\n\ndecode exits 1 when any input is not a Teredo address; the others are still decoded.`),
    async (args) => {
      const inputs = args.address !== undefined && args.address.length > 0 ? args.address.map(String) : await readLines(context.stdin);
      const reports = inputs.filter((line) => line.trim() !== '' && !line.trim().startsWith('#')).map(describeAddress);
      for (const report of reports) if (!report.valid) context.warn(report.error);
      context.stdout.write(args.json ? reports.map((r) => JSON.stringify(r)).join('\n') + (reports.length > 0 ? '\n' : '') : await renderTable(reports));
      context.exit(reports.every((r) => r.valid) ? ExitCode.ok : ExitCode.failing);
    },
  );
}

/** cli-table3 is loaded here, not when the program starts: other commands never need it. */
async function renderTable(reports: AddressReport[]): Promise<string> {
  const valid = reports.filter((r) => r.valid);
  if (valid.length === 0) return '';
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: ['address', 'server', 'flags', 'cone', 'mapped port', 'mapped IPv4', 'notes'],
    style: { head: [], border: [] },
  });
  for (const r of valid) {
    if (r.kind === 'teredo') {
      table.push([r.address, r.server, r.flagsHex, r.cone ? 'yes' : 'no', String(r.mappedPort), r.mappedAddress, r.notes.join('; ')]);
    } else {
      table.push([r.address, '', '', '', '', '', `Teredo link-local: ${r.description}`]);
    }
  }
  return table.toString() + '\n';
}
